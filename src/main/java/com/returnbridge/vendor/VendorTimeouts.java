package com.returnbridge.vendor;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/** How long a vendor call may take before it counts as a transient failure and is retried later. */
@ConfigurationProperties("returnbridge.http")
public record VendorTimeouts(@DefaultValue("PT5S") Duration connect, @DefaultValue("PT20S") Duration read) {

    public JdkClientHttpRequestFactory requestFactory() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connect).version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(read);
        return factory;
    }
}

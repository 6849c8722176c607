package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.ConditionalOnSandbox;
import com.returnbridge.sandbox.SandboxWebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sandbox ShipHero and its own webhook sender (other sandboxes have theirs, hence the qualifier). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
public class SandboxShipHeroConfiguration {

    /** The refresh token a sandbox tenant is configured with. */
    public static final String SANDBOX_REFRESH_TOKEN = "sandbox-shiphero-refresh-token";

    @Bean(destroyMethod = "close")
    public SandboxWebhookSender sandboxShipHeroWebhooks() {
        return new SandboxWebhookSender(Duration.ofMillis(500));
    }

    /**
     * {@code returnbridge.sandbox.shiphero.customer-account-ids}: comma-separated child account ids, making the
     * sandbox account a 3PL (empty by default).
     */
    @Bean
    public SandboxShipHero sandboxShipHero(@Qualifier("sandboxShipHeroWebhooks") SandboxWebhookSender webhooks,
            @Value("${returnbridge.sandbox.shiphero.customer-account-ids:}") String customerAccountIds) {
        List<String> customers = Arrays.stream(customerAccountIds.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        SandboxShipHero shipHero = new SandboxShipHero(webhooks, Clock.systemUTC(), customers);
        shipHero.addRefreshToken(SANDBOX_REFRESH_TOKEN);
        return shipHero;
    }
}

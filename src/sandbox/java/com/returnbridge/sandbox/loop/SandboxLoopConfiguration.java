package com.returnbridge.sandbox.loop;

import com.returnbridge.sandbox.ConditionalOnSandbox;
import com.returnbridge.sandbox.SandboxWebhookSender;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The simulated Loop shop, present whenever the sandbox is enabled. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
public class SandboxLoopConfiguration {

    /** Its own sender so Loop's delivery faults and counters never mix with ShipHero's. */
    @Bean(name = "sandboxLoopWebhooks", destroyMethod = "close")
    public SandboxWebhookSender sandboxLoopWebhooks() {
        return new SandboxWebhookSender(Duration.ofMillis(500));
    }

    /** On the application's clock, so Loop's times (a label's label_updated_at) are the times the service lives in. */
    @Bean
    public SandboxLoop sandboxLoop(@Qualifier("sandboxLoopWebhooks") SandboxWebhookSender webhooks,
                                   java.time.Clock clock) {
        SandboxLoop loop = new SandboxLoop(webhooks, clock);
        loop.addApiKey(SandboxLoop.SANDBOX_API_KEY);
        return loop;
    }
}

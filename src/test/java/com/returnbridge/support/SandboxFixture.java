package com.returnbridge.support;

import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Puts the simulated vendors of the test's application back to their defaults after each test: no injected faults on
 * Loop or ShipHero, no delivery faults on either webhook sender, and Loop's variant switches (flagged returns may be
 * processed, processing webhooks sent, processing taking 100 ms) as a fresh sandbox has them. Tests of one base share
 * one application, so a fault a test forgets would otherwise leak into the next. Registered by
 * {@link ReturnbridgeTest}; it runs after the test class's own {@code @AfterEach} methods.
 */
public final class SandboxFixture implements AfterEachCallback {

    /** Loop's processing delay in a fresh sandbox (SandboxLoop's default). */
    static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofMillis(100);

    @Override
    public void afterEach(ExtensionContext context) {
        restoreDefaults(SpringExtension.getApplicationContext(context));
    }

    /** What {@link #afterEach} does, for a test that needs a calm sandbox in the middle of its run. */
    public static void restoreDefaults(ApplicationContext application) {
        application.getBeanProvider(SandboxLoop.class).ifAvailable(loop -> {
            loop.faults().clear();
            loop.setAllowFlaggedProcess(true);
            loop.setProcessingWebhooks(true);
            loop.setProcessingDelay(DEFAULT_PROCESSING_DELAY);
            loop.setRestocksInLoop(false);
            loop.dispositioning().reset();
        });
        application.getBeanProvider(SandboxShipHero.class).ifAvailable(shiphero -> {
            shiphero.faults().clear();
            shiphero.setReturnChangesTouchOrder(false);
        });
        for (String sender : new String[] {"sandboxLoopWebhooks", "sandboxShipHeroWebhooks"}) {
            if (application.containsBean(sender)) {
                application.getBean(sender, SandboxWebhookSender.class).clearDeliveryFaults();
            }
        }
    }
}

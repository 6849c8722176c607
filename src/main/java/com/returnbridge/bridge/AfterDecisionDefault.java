package com.returnbridge.bridge;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default {@link AfterDecision}: nothing. A component implementing it (grading) takes its place; should both be
 * registered, the apply-status job calls every one, and this one does nothing.
 */
@Configuration(proxyBeanMethods = false)
class AfterDecisionDefault {

    @Bean
    @ConditionalOnMissingBean(AfterDecision.class)
    AfterDecision noAfterDecision() {
        return AfterDecision.NOTHING;
    }
}

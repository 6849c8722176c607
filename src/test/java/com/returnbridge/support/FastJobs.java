package com.returnbridge.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Job retries and polling shortened from minutes to a second, so that a test sees a failed job retried within its
 * wait. A test class's own {@code @TestPropertySource} overrides single values (it is directly present, this one only
 * meta-present); the tests that measure the shipped retry settings (VendorRecoveryH2Test) do not use it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = {
        "returnbridge.jobs.first-retry=PT0.2S",
        "returnbridge.jobs.max-retry=PT1S",
        "returnbridge.jobs.polling-interval=PT1S"})
public @interface FastJobs {
}

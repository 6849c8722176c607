package com.returnbridge.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on a random port, as every application-level test runs it: a known admin password, and the
 * simulators put back to their defaults after each test ({@link SandboxFixture}). Settings a test base needs on top
 * (fast jobs, {@link FastJobs}; its own database or timeouts) go in its own {@code @TestPropertySource}, which
 * overrides these; each distinct set is one Spring context, so keep a base's set the same for all its subclasses.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "returnbridge.admin.password=" + ReturnbridgeTest.ADMIN_PASSWORD)
@ExtendWith(SandboxFixture.class)
public @interface ReturnbridgeTest {

    /** The password of the console's admin user ("admin") unless a base sets its own. */
    String ADMIN_PASSWORD = "test-admin-password";
}

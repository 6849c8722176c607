package com.returnbridge.sandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The simulators exist only where they are wanted: when {@code returnbridge.sandbox.enabled=true}, or, left unset,
 * when no real connection is configured. A production instance with connections never exposes them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnSandbox.SandboxWanted.class)
public @interface ConditionalOnSandbox {

    class SandboxWanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String explicit = context.getEnvironment().getProperty("returnbridge.sandbox.enabled");
            if (explicit != null && !explicit.isBlank()) {
                return Boolean.parseBoolean(explicit.trim());
            }
            Map<String, Object> connections = Binder.get(context.getEnvironment())
                    .bind("returnbridge.connections", Bindable.mapOf(String.class, Object.class))
                    .orElse(Map.of());
            return connections.isEmpty();
        }
    }
}

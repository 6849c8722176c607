package com.returnbridge.console;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Webhooks authenticate by signature and the simulated vendors by their own keys; everything else needs the
 * operator's login. Scripts use HTTP Basic on {@code /api/**} (stateless, so no session for CSRF to protect).
 */
@Configuration
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService admins(@Value("${returnbridge.admin.username:admin}") String username,
                              @Value("${returnbridge.admin.password:}") String password, PasswordEncoder encoder) {
        String effective = password;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // Shown once so a first run can log in; set returnbridge.admin.password to choose one.
            log.warn("No returnbridge.admin.password set. Generated password for '{}' (this run only): {}", username,
                    effective);
        }
        return new InMemoryUserDetailsManager(User.withUsername(username).password(encoder.encode(effective))
                .roles("ADMIN").build());
    }

    /** Health (liveness, readiness) is open to probes; with HTTP Basic it shows each connection's details. */
    @Bean
    @Order(0)
    SecurityFilterChain health(HttpSecurity http) throws Exception {
        // Open: the overall status and the liveness probe (no details without a login). Other health groups and
        // components, and the details, need the operator's login (HTTP Basic for monitoring tools).
        http.securityMatcher("/actuator/health", "/actuator/health/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/liveness")
                        .permitAll().anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable());
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain machines(HttpSecurity http) throws Exception {
        http.securityMatcher("/webhooks/**", "/sandbox/loop/**", "/sandbox/shiphero/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain scripts(HttpSecurity http) throws Exception {
        // Scripts send HTTP Basic (no session, so no CSRF to protect); a browser logged in to the console may call
        // the API with its session too, and then CSRF applies to writes as everywhere else.
        http.securityMatcher("/api/**", "/sandbox/demo/**", "/sandbox/control/**", "/actuator/**", "/v3/api-docs/**")
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .requestCache(r -> r.disable());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/login", "/error", "/css/**", "/js/**", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll());
        return http.build();
    }
}

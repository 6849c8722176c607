package com.returnbridge.console;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may do what, checked on the server for every page, API path and action. Webhooks authenticate by signature and
 * the simulated vendors by their own keys; everything else needs a person's login: the console form or single
 * sign-on ({@link SingleSignOn}) in a browser, HTTP Basic or an API token ({@link ApiTokenFilter}) for scripts.
 *
 * <p>Roles are checked by path and method in one list ({@link #roles}), so a page or endpoint added later is covered
 * by the rule its method and path fall under: changes are the operator's unless listed as the admin's, reads are
 * everyone's, a merchant's held to its connections by {@link MerchantScope}.
 */
@Configuration
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Admin includes operator, operator includes viewer; a merchant is a viewer of its own connections only. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role("ADMIN").implies("OPERATOR")
                .role("OPERATOR").implies("VIEWER").build();
    }

    /** Password logins against the local users, failures logged and limited ({@link LoginGuard}). */
    @Bean
    AuthenticationProvider passwordLogins(Users users, PasswordEncoder encoder,
                                          @Value("${returnbridge.login.max-failures:5}") int maxFailures,
                                          @Value("${returnbridge.login.failure-window:PT5M}") Duration window) {
        return new LoginGuard(users, encoder, maxFailures, window);
    }

    /** The first admin, from {@code returnbridge.admin.*}; without a password one is generated for this run. */
    /** The name of the account from {@code returnbridge.admin.*}, once it is in place. */
    record FirstAdmin(String username) {
    }

    @Bean
    FirstAdmin firstAdmin(Users users, @Value("${returnbridge.admin.username:admin}") String username,
                                 @Value("${returnbridge.admin.password:}") String password) {
        String effective = password;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // Shown once so a first run can log in; set returnbridge.admin.password to choose one.
            log.warn("No returnbridge.admin.password set. Generated password for '{}' (this run only): {}", username,
                    effective);
        }
        users.ensureAdmin(username, effective);
        return new FirstAdmin(username);
    }

    /** Health (liveness, readiness) is open to probes; with HTTP Basic it shows each connection's details. */
    @Bean
    @Order(0)
    SecurityFilterChain health(HttpSecurity http) throws Exception {
        // Open: the overall status and the liveness probe (no details without a login). Other health groups and
        // components, and the details, need a login (HTTP Basic for monitoring tools).
        http.securityMatcher("/actuator/health", "/actuator/health/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/liveness")
                        .permitAll().anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(scriptEntryPoint()))
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
    SecurityFilterChain scripts(HttpSecurity http, ApiTokens tokens) throws Exception {
        // Scripts send HTTP Basic or a token (no session, so no CSRF to protect); a browser logged in to the console
        // may call the API with its session too, and then CSRF applies to writes as everywhere else.
        http.securityMatcher("/api/**", "/sandbox/demo/**", "/sandbox/control/**", "/actuator/**", "/v3/api-docs/**")
                .authorizeHttpRequests(SecurityConfiguration::roles)
                .httpBasic(b -> b.authenticationEntryPoint(scriptEntryPoint()))
                .exceptionHandling(e -> e.authenticationEntryPoint(scriptEntryPoint()))
                .addFilterBefore(new ApiTokenFilter(tokens), BasicAuthenticationFilter.class)
                .csrf(c -> c.ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .requestCache(r -> r.disable());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain console(HttpSecurity http, ObjectProvider<ClientRegistrationRepository> sso,
                                ObjectProvider<OAuth2UserService<OidcUserRequest, OidcUser>> ssoUsers)
            throws Exception {
        http.authorizeHttpRequests(SecurityConfiguration::roles)
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll()
                        .failureHandler((request, response, e) -> response.sendRedirect(request.getContextPath()
                                + (e instanceof LoginGuard.TooManyFailures ? "/login?throttled" : "/login?error"))))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll());
        if (sso.getIfAvailable() != null) {
            http.oauth2Login(o -> o.loginPage("/login").defaultSuccessUrl("/", false)
                    .failureUrl("/login?sso-error")
                    .userInfoEndpoint(u -> u.oidcUserService(ssoUsers.getObject())));
        }
        return http.build();
    }

    /**
     * The role rules, in order (the first rule a request matches decides). Shared by the API and the console, so a
     * path means the same in both.
     */
    private static void roles(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a) {
        a.requestMatchers("/login", "/error", "/css/**", "/js/**", "/favicon.ico").permitAll()
                // everyone: their own profile and API tokens (an admin: anyone's)
                .requestMatchers("/api/users/me", "/profile", "/profile/**").authenticated()
                .requestMatchers("/api/users/{username}/tokens", "/api/users/{username}/tokens/**")
                .access((auth, context) -> selfOrAdmin(auth.get(), context))
                .requestMatchers(HttpMethod.PUT, "/api/users/{username}")
                .access((auth, context) -> selfOrAdmin(auth.get(), context))
                // admin: users; connections, their settings and secrets
                .requestMatchers("/api/users", "/api/users/**", "/users", "/users/**").hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/api/connections", "/api/connections/*/connect").hasRole("ADMIN")
                .requestMatchers(HttpMethod.PUT, "/api/connections/*", "/api/connections/*/mapping",
                        "/api/connections/*/grading").hasRole("ADMIN")
                .requestMatchers(HttpMethod.DELETE, "/api/connections/*").hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/connections/new", "/connections/*/edit").hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/connections", "/connections/*", "/connections/*/delete",
                        "/connections/*/mapping", "/connections/*/connect", "/connections/*/warehouse",
                        "/connections/*/shop-name", "/connections/*/grading").hasRole("ADMIN")
                // operator: every other change (retry, replay, re-run, bulk actions, backfill, pause, the demo)
                .requestMatchers(request -> !READS.contains(request.getMethod())).hasRole("OPERATOR")
                // the whole service's metrics and the simulators: the 3PL's own people (the charts that add
                // connections up count a merchant's own only: ChartsApiController)
                .requestMatchers("/actuator/**", "/sandbox/**").hasRole("VIEWER")
                // reading: every role; a merchant only its own connections (MerchantScope, Access)
                .anyRequest().hasAnyRole("VIEWER", "MERCHANT");
    }

    private static AuthorizationDecision selfOrAdmin(Authentication auth, RequestAuthorizationContext context) {
        if (auth == null || !auth.isAuthenticated()) {
            return new AuthorizationDecision(false);
        }
        boolean admin = auth.getAuthorities().stream().anyMatch(g -> "ROLE_ADMIN".equals(g.getAuthority()));
        String username = context.getVariables().get("username");
        boolean self = username != null && (username.equals(auth.getName()) || "me".equals(username))
                && auth.getAuthorities().stream().anyMatch(g -> g.getAuthority().startsWith("ROLE_"));
        return new AuthorizationDecision(admin || self);
    }

    /** 401 with a Basic challenge; 429 with Retry-After once a user name has failed too often from an address. */
    private static AuthenticationEntryPoint scriptEntryPoint() {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("Returnbridge");
        return (request, response, e) -> {
            if (e instanceof LoginGuard.TooManyFailures t) {
                response.setStatus(429);
                response.setHeader("Retry-After", String.valueOf(Math.max(1, t.retryAfter.toSeconds())));
                response.setContentType("application/json");
                response.getOutputStream().write(("{\"error\":\"" + t.getMessage() + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            basic.commence(request, response, e);
        };
    }
}

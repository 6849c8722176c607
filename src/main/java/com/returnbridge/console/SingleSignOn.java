package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Single sign-on with OpenID Connect (Spring Security's OAuth2 login), on only when {@code returnbridge.sso.issuer} is
 * set: the provider is found from its issuer (discovery), and a claim of the person's ({@code role-claim}, e.g. their
 * groups) is mapped to a role by {@code roles.<value>=<role>}; a merchant's connections come from
 * {@code connections-claim}. A person with no mapped role (and no {@code default-role}) is refused.
 */
@Configuration
@ConditionalOnProperty(prefix = "returnbridge.sso", name = "issuer")
class SingleSignOn {

    static final String REGISTRATION = "sso";
    private static final Logger log = LoggerFactory.getLogger(SingleSignOn.class);

    @ConfigurationProperties("returnbridge.sso")
    record Settings(String issuer, String clientId, String clientSecret, @DefaultValue("Single sign-on") String name,
                    @DefaultValue("openid profile email") String scopes,
                    @DefaultValue("email") String usernameClaim, @DefaultValue("groups") String roleClaim,
                    Map<String, String> roles, String defaultRole,
                    @DefaultValue("returnbridge_connections") String connectionsClaim) {
    }

    private final Settings settings;

    SingleSignOn(Settings settings) {
        this.settings = settings;
    }

    @Bean
    ClientRegistrationRepository ssoRegistrations() {
        if (settings.clientId() == null || settings.clientId().isBlank()) {
            throw new IllegalStateException("returnbridge.sso.client-id must be set with returnbridge.sso.issuer");
        }
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(settings.issuer())
                .registrationId(REGISTRATION).clientId(settings.clientId()).clientSecret(settings.clientSecret())
                .scope(Arrays.stream(settings.scopes().split("[,\\s]+"))
                        .filter(x -> !x.isBlank()).toList()).userNameAttributeName(settings.usernameClaim())
                .clientName(settings.name()).build();
        return new InMemoryClientRegistrationRepository(registration);
    }

    /** The provider's person, with the role and connections their claims give them here. */
    @Bean
    OAuth2UserService<OidcUserRequest, OidcUser> ssoUsers(Users users) {
        OidcUserService provider = new OidcUserService();
        return request -> {
            OidcUser person = provider.loadUser(request);
            Map<String, Object> claims = person.getClaims();
            String nameClaim = List.of(settings.usernameClaim(), "preferred_username", "sub").stream()
                    .filter(c -> claims.get(c) != null && !String.valueOf(claims.get(c)).isBlank()).findFirst()
                    .orElseThrow(() -> refuse("the provider sent no user name"));
            String username = String.valueOf(claims.get(nameClaim));
            Role role = role(values(claims.get(settings.roleClaim()))).orElseThrow(() -> {
                log.warn("single sign-on refused for '{}': no role mapped from claim '{}'",
                        LoginGuard.printable(username), settings.roleClaim());
                return refuse("no Returnbridge role for this account");
            });
            List<String> connections = role == Role.MERCHANT ? values(claims.get(settings.connectionsClaim()))
                    : List.of();
            if (role == Role.MERCHANT && connections.isEmpty()) {
                throw refuse("a merchant account needs connections in claim " + settings.connectionsClaim());
            }
            Users.User user;
            try {
                user = users.signedOn(username, role, connections);
            } catch (Conflict e) {
                throw refuse(e.getMessage());
            }
            if (user.disabled()) {
                throw refuse("this account is disabled in Returnbridge");
            }
            log.info("single sign-on: '{}' logged in as {}", LoginGuard.printable(username), role.label());
            return new DefaultOidcUser(user.authorities(), person.getIdToken(), person.getUserInfo(), nameClaim);
        };
    }

    /** The highest role any of the person's values maps to, else the default role. */
    private Optional<Role> role(List<String> values) {
        Map<String, String> map = settings.roles() == null ? Map.of() : settings.roles();
        Optional<Role> mapped = values.stream().map(map::get).filter(r -> r != null && !r.isBlank())
                .map(Role::parse).min(Enum::compareTo);
        return mapped.isPresent() ? mapped : Optional.ofNullable(settings.defaultRole())
                .filter(r -> !r.isBlank()).map(Role::parse);
    }

    /** A claim as a list of strings: a JSON array, or one string (comma-separated values allowed). */
    private static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v).trim()));
        } else if (claim != null) {
            Arrays.stream(String.valueOf(claim).split(",")).map(String::trim).forEach(out::add);
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static OAuth2AuthenticationException refuse(String why) {
        return new OAuth2AuthenticationException(new OAuth2Error("access_denied", why, null), why);
    }
}

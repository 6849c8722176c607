package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.ConditionalOnSandbox;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * ShipHero's two HTTP endpoints, served by the in-process sandbox: point the ShipHero client's base URL at
 * {@code /sandbox/shiphero}. Bodies are taken and returned raw so the wire bytes are exactly the sandbox's.
 */
@RestController
@RequestMapping("/sandbox/shiphero")
@ConditionalOnSandbox
public class SandboxShipHeroController {

    private final SandboxShipHero shipHero;

    public SandboxShipHeroController(SandboxShipHero shipHero) {
        this.shipHero = shipHero;
    }

    @PostMapping("/auth/refresh")
    public ResponseEntity<String> refresh(@RequestBody(required = false) String body) {
        return toResponse(shipHero.handleRefreshRequest(body));
    }

    @PostMapping("/graphql")
    public ResponseEntity<String> graphql(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) String body) {
        return toResponse(shipHero.handleGraphQlRequest(authorization, body));
    }

    private static ResponseEntity<String> toResponse(GraphQlAnswer answer) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status())
                .contentType(MediaType.APPLICATION_JSON);
        answer.headers().forEach(response::header);
        return response.body(answer.body());
    }
}

package com.returnbridge.console;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.NotFound;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page needs: who is logged in, the return states, whether the sandbox runs; and a readable page
 * for "not found".
 */
@ControllerAdvice(assignableTypes = ConsolePage.class)
public class ConsoleModel {

    private final ConsoleSandbox sandbox;
    private final Access access;

    ConsoleModel(ConsoleSandbox sandbox, Access access) {
        this.sandbox = sandbox;
        this.access = access;
    }

    /** The person's role (admin, operator, viewer, merchant), so a page offers only what they may do. */
    @ModelAttribute("role")
    String role() {
        return access.role().map(Role::label).orElse("");
    }

    @ModelAttribute("mayOperate")
    boolean mayOperate() {
        return access.role().filter(r -> r == Role.ADMIN || r == Role.OPERATOR).isPresent();
    }

    @ModelAttribute("user")
    String user(Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    @ModelAttribute("states")
    List<LinkState> states() {
        return Arrays.asList(LinkState.values());
    }

    @ModelAttribute("sandboxEnabled")
    boolean sandboxEnabled() {
        return sandbox.running();
    }

    @ExceptionHandler(NotFound.class)
    ModelAndView notFound(RuntimeException e, Principal principal) {
        ModelAndView mv = new ModelAndView("not-found");
        mv.setStatus(HttpStatus.NOT_FOUND);
        mv.addObject("error", e.getMessage());
        mv.addObject("user", principal == null ? "" : principal.getName());
        return mv;
    }
}

package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/** What every console page needs: who is logged in; and a readable page for "not found". */
@ControllerAdvice(assignableTypes = ConsolePages.class)
public class ConsoleModel {

    @ModelAttribute("user")
    String user(Principal principal) {
        return principal == null ? "" : principal.getName();
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

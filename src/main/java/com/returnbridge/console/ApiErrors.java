package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.vendor.VendorException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** One-line JSON errors for the admin API; messages are written by us and never carry a secret. */
@RestControllerAdvice(assignableTypes = {ReturnsApiController.class, ConnectionsApiController.class,
        VendorCallsApiController.class, SlaApiController.class, UsersApiController.class})
public class ApiErrors {

    @ExceptionHandler(NotFound.class)
    ResponseEntity<Map<String, String>> notFound(NotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(Conflict.class)
    ResponseEntity<Map<String, String>> conflict(Conflict e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(VendorException.class)
    ResponseEntity<Map<String, String>> vendor(VendorException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getMessage()));
    }
}

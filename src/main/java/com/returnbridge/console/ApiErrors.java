package com.returnbridge.console;

import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.VendorException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** One-line JSON errors for the admin API; messages are written by us and never carry a secret. */
@RestControllerAdvice(assignableTypes = {ReturnsApiController.class, ConnectionsApiController.class,
        VendorCallsApiController.class})
public class ApiErrors {

    @ExceptionHandler({ConnectionService.NotFound.class, OperatorActions.NotFound.class,
            com.returnbridge.backfill.Backfills.NotFound.class})
    ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler({ConnectionService.Conflict.class, com.returnbridge.backfill.Backfills.Conflict.class})
    ResponseEntity<Map<String, String>> conflict(RuntimeException e) {
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

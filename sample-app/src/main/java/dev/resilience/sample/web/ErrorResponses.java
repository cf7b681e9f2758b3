package dev.resilience.sample.web;

import dev.resilience.ResilienceException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.sample.inventory.UnknownSkuException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;

/** Turns failures into answers a client can act on: nothing here is a 500. */
@RestControllerAdvice
public class ErrorResponses {

    @ExceptionHandler(UnknownSkuException.class)
    ResponseEntity<Map<String, String>> unknownSku(UnknownSkuException ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", ex.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
    }

    /** Too many lookups at once: ask the client to come back shortly. */
    @ExceptionHandler(BulkheadFullException.class)
    ResponseEntity<Map<String, String>> busy(BulkheadFullException ex) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1")
                .body(Map.of("error", ex.getMessage(), "instance", ex.getInstanceName()));
    }

    /** An open breaker (or another rejection): fail fast with 503 instead of waiting on a dead dependency. */
    @ExceptionHandler(ResilienceException.class)
    ResponseEntity<Map<String, String>> rejected(ResilienceException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "10")
                .body(Map.of("error", ex.getMessage(), "instance", ex.getInstanceName()));
    }

    /** The dependency failed and retries did not help. */
    @ExceptionHandler(RestClientException.class)
    ResponseEntity<Map<String, String>> dependencyFailed(RestClientException ex) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "dependency failed: "
                + ex.getMessage()));
    }
}

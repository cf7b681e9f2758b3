package dev.resilience.deferred;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What is stored per call, as JSON in db-scheduler's task data. */
record Payload(String instance, String bean, String method, List<String> parameterTypes, JsonNode arguments,
        int attempts, int priority, boolean dead, Instant firstFailedAt, String firstFailure, String lastError) {

    Payload failedAgain(String error) {
        return new Payload(instance, bean, method, parameterTypes, arguments, attempts + 1, priority, false,
                firstFailedAt, firstFailure, error);
    }

    Payload withDead(boolean isDead) {
        return new Payload(instance, bean, method, parameterTypes, arguments, attempts, priority, isDead,
                firstFailedAt, firstFailure, lastError);
    }

    Payload withError(String error) {
        return new Payload(instance, bean, method, parameterTypes, arguments, attempts, priority, dead,
                firstFailedAt, firstFailure, error);
    }

    String signature() {
        return method + "(" + String.join(", ", parameterTypes) + ")";
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = failure.getClass().getName() + (message != null ? ": " + message : "");
        return text.length() > 1_000 ? text.substring(0, 1_000) + "..." : text;
    }
}

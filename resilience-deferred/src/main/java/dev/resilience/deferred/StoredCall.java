package dev.resilience.deferred;

import java.time.Instant;

/**
 * A stored call as an operator sees it.
 *
 * @param id the id, also {@link DeferredCall#id()} during its replays
 * @param instance the {@code @RetryLater} instance name
 * @param bean the bean name
 * @param method the method, as {@code name(ParameterType, ...)}
 * @param arguments the arguments as a JSON array
 * @param attempts the attempts made so far, the original call included
 * @param priority higher replays first among calls that are due
 * @param dead whether it is no longer replayed ({@code max-attempts} or {@code max-age} reached); kept until discarded
 * @param nextAttempt when it is replayed next ({@code null} when dead)
 * @param firstFailedAt when the original call failed
 * @param firstFailure the original call's failure, as {@code ExceptionClass: message}
 * @param lastError the latest attempt's failure
 */
public record StoredCall(String id, String instance, String bean, String method, String arguments, int attempts,
        int priority, boolean dead, Instant nextAttempt, Instant firstFailedAt, String firstFailure, String lastError) {
}

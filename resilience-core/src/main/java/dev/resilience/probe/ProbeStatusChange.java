package dev.resilience.probe;

import java.time.Instant;

/**
 * A probe's status changed; in a Spring application also published as an application event, so that the
 * application can act on it (reconnect a client, clear a pool).
 *
 * @param name the probe
 * @param from the status before
 * @param to the status now
 * @param error the message of the failure that decided a change to DOWN; {@code null} otherwise
 * @param at when the change was decided
 */
public record ProbeStatusChange(String name, ProbeStatus from, ProbeStatus to, String error, Instant at) {
}

package dev.resilience.core;

/**
 * Receives what the policies did besides letting a call through: transitions, rejections, retries,
 * fallbacks. Instances check for {@link #NONE} before they describe an event, so an application that does
 * not collect events pays nothing.
 */
@FunctionalInterface
public interface EventSink {

    /** Collects nothing. */
    EventSink NONE = (kind, name, type, detail) -> { };

    /**
     * @param kind the kind of policy: {@code circuitbreaker}, {@code retry}, {@code bulkhead}, {@code fallback},
     *        {@code degradation}, {@code feature}, {@code lastknowngood}
     * @param name the instance name
     * @param type what happened, e.g. {@code STATE_TRANSITION}, {@code REJECTED}, {@code RETRY}
     * @param detail what the event's description is made of; its {@code toString()} is taken only when the event
     *        is read, so a publisher passes what it already has (a constant, the failure) rather than formatting
     */
    void publish(String kind, String name, String type, Object detail);
}

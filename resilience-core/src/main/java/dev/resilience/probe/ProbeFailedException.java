package dev.resilience.probe;

/** A check found its dependency unhealthy; the message says how, and is shown as the probe's error. */
public final class ProbeFailedException extends Exception {

    public ProbeFailedException(String message) {
        super(message, null, false, false);
    }
}

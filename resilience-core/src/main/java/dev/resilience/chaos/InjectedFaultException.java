package dev.resilience.chaos;

/** The failure fault injection throws unless configured with another {@code exception}. */
public class InjectedFaultException extends RuntimeException {

    public InjectedFaultException(String message) {
        super(message);
    }
}

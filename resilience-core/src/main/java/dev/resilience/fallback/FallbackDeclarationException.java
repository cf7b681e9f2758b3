package dev.resilience.fallback;

/** A {@code @Fallback} names a method that does not exist or does not fit the guarded method. */
public final class FallbackDeclarationException extends IllegalStateException {

    public FallbackDeclarationException(String message) {
        super(message);
    }
}

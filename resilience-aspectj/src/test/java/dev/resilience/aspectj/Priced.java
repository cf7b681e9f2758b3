package dev.resilience.aspectj;

import dev.resilience.annotation.Retry;

/** A policy on an interface's method: the proxy applies it to implementations, AspectJ does not (see {@link Shop}). */
public interface Priced {

    @Retry("prices")
    String price();
}

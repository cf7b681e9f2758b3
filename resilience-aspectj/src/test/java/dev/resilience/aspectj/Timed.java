package dev.resilience.aspectj;

import dev.resilience.annotation.Timeout;

/** A timeout on an interface's method, which the proxy applies to implementations (see {@link InheritsTimeout}). */
public interface Timed {

    @Timeout("slow")
    String answer();
}

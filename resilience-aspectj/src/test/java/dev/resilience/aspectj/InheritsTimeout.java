package dev.resilience.aspectj;

import dev.resilience.annotation.Retry;

/**
 * Woven at compile time: a method with a policy of its own and a timeout it takes from the interface. AspectJ weaves
 * the inline advice into it (the method's own annotations ask for no timeout), which cannot run a timeout.
 */
public class InheritsTimeout implements Timed {

    @Override
    @Retry("slow")
    public String answer() {
        return "42";
    }
}

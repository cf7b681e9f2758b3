package dev.resilience.aspectj;

import dev.resilience.annotation.Retry;

/**
 * Woven at compile time, with one annotation AspectJ does not match: {@link Priced#price()}'s, on the interface's
 * method (AspectJ matches annotations of the method executed, and Java does not inherit a method's annotations).
 */
public class Shop implements Priced {

    @Override
    public String price() {
        return "9.99";
    }

    @Retry("stock")
    public String stock() {
        return "3";
    }
}

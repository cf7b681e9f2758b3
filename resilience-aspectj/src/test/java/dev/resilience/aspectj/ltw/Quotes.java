package dev.resilience.aspectj.ltw;

import dev.resilience.annotation.Retry;
import java.util.concurrent.atomic.AtomicInteger;

/** Compiled by javac alone (the build keeps ajc away from this package): woven only by the agent, when loaded. */
public class Quotes {

    final AtomicInteger attempts = new AtomicInteger();

    public String quote() {
        return this.fetch();
    }

    @Retry("quotes")
    private String fetch() {
        if (attempts.incrementAndGet() < 3) {
            throw new IllegalStateException("flaky " + attempts.get());
        }
        return "to be or not to be";
    }
}

package dev.resilience.aspectj;

import dev.resilience.annotation.Retry;

/** Test fixture: overrides the supertype's method, so AspectJ matches the supertype's class-level @Timeout. */
@Retry("slow")
public class ImplOfTimedType implements TimedType {
    volatile Thread ranOn;

    @Override
    public String answer() {
        ranOn = Thread.currentThread();
        return "impl";
    }
}

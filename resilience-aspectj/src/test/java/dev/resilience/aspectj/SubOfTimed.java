package dev.resilience.aspectj;

import dev.resilience.annotation.Retry;

/** Test fixture: overrides the supertype's method, so AspectJ matches the supertype's class-level @Timeout. */
@Retry("slow")
public class SubOfTimed extends SuperTimed {
    @Override
    public String answer() {
        ranOn = Thread.currentThread();
        return "sub";
    }
}

package dev.resilience.aspectj;

import dev.resilience.annotation.Timeout;

/**
 * Woven at compile time: a class-level timeout, which AspectJ matches on the class, so its methods get the closure
 * advice that runs a timeout (the method runs on a worker).
 */
@Timeout("slow")
public class TimedClass {

    volatile Thread ranOn;

    public String answer() {
        ranOn = Thread.currentThread();
        return "42";
    }
}

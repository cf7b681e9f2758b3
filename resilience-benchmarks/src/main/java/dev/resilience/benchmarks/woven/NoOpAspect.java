package dev.resilience.benchmarks.woven;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/**
 * The floor of AspectJ mode: an annotation-style {@code @Around} advice that only proceeds, woven by ajc into
 * {@link WovenPlain}. What a woven call costs before any policy runs: AspectJ's join point and closure.
 */
@Aspect
public class NoOpAspect {

    @Around("execution(@dev.resilience.benchmarks.Measured * dev.resilience.benchmarks.woven.WovenPlain.*(..))")
    public Object around(ProceedingJoinPoint call) throws Throwable {
        return call.proceed();
    }
}

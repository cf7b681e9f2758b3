package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards calls with the circuit breaker of the given name: while it is OPEN or FORCED_OPEN, calls are
 * rejected with {@link dev.resilience.circuitbreaker.CircuitBreakerOpenException} without reaching the method.
 * Configured under {@code resilience.circuitbreaker.instances.<name>}.
 *
 * <pre>{@code
 * @CircuitBreaker("inventory")
 * public Stock lookup(String sku) { ... }
 * }</pre>
 *
 * <p>On a class, it applies to every public method the class and its superclasses declare (not those of
 * {@code Object}); a method's own {@code @CircuitBreaker} wins. Works on Spring beans through their proxy: a call from
 * the bean to itself is not intercepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}

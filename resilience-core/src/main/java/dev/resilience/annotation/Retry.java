package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Re-invokes a failed call with backoff, as configured under {@code resilience.retry.instances.<name>}.
 * On exhaustion the last failure is rethrown unchanged. Each attempt passes through the method's circuit
 * breaker, whose rejection is not retried unless listed in {@code retry-exceptions}.
 *
 * <pre>{@code
 * @Retry("inventory")
 * public Stock lookup(String sku) { ... }
 * }</pre>
 *
 * <p>On a class, it applies to every public method the class and its superclasses declare (not those of
 * {@code Object}); a method's own {@code @Retry} wins. Works on Spring beans through their proxy: a call from
 * the bean to itself is not intercepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}

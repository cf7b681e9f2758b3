package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caps the concurrent calls of the bulkhead of the given name ({@code resilience.bulkhead.instances.<name>}).
 * A call beyond {@code max-concurrent-calls} waits up to {@code max-wait-duration}, then gets
 * {@link dev.resilience.bulkhead.BulkheadFullException}. For an asynchronous method the slot is held until
 * its stage completes.
 *
 * <pre>{@code
 * @Bulkhead("inventory")
 * public Stock lookup(String sku) { ... }
 * }</pre>
 *
 * <p>On a class, it applies to every public method the class and its superclasses declare (not those of
 * {@code Object}); a method's own {@code @Bulkhead} wins. Works on Spring beans through their proxy: a call from
 * the bean to itself is not intercepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}

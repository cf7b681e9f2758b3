package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds a call's duration with the timeout of the given name ({@code resilience.timeout.instances.<name>});
 * a call that takes longer fails with {@link dev.resilience.timeout.CallTimeoutException}.
 *
 * <p>On a class, it applies to every public method the class and its superclasses declare (not those of
 * {@code Object}); a method's own {@code @Timeout} wins. Works on Spring beans through their proxy: a call from
 * the bean to itself is not intercepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}

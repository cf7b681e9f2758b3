package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks optional work that is shed first under stress: the call is skipped with
 * {@link dev.resilience.degradation.FeatureDegradedException} while the named feature is switched off
 * ({@code resilience.degradation.features.<name>.enabled: false}) or the degradation level reaches its
 * {@code disable-at}. Combine with {@link Fallback} to answer something cheaper instead.
 *
 * <p>On a class, it applies to every public method the class and its superclasses declare (not those of
 * {@code Object}); a method's own {@code @Degradable} wins. Works on Spring beans through their proxy: a call from
 * the bean to itself is not intercepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Degradable {

    /** The instance name; alias of {@link #name()}. */
    String value() default "";

    /** The instance name; alias of {@link #value()}. */
    String name() default "";
}

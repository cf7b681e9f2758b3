package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method the check of the dependency probe named {@code value}
 * ({@code resilience.probes.<name>.*} configures its timing, thresholds, criticality and breaker). The method
 * takes no parameters and returns {@code boolean} (false is a failure) or {@code void}; a thrown exception is a
 * failure, and its message is the probe's error.
 *
 * <pre>{@code
 * @HealthProbe("vector-store")
 * boolean vectorStoreAnswers() {
 *     return client.ping();
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HealthProbe {

    /** The probe's name; alias of {@link #name()}. */
    String value() default "";

    /** The probe's name; alias of {@link #value()}. */
    String name() default "";
}

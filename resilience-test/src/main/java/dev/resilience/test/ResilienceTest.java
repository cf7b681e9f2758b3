package dev.resilience.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Puts the starter on fake time in a {@code @SpringBootTest} and provides a {@link ResilienceTester}: retry
 * waits and rate-limiter waits take no real time, an open breaker turns half-open when the test advances the
 * time, and timeouts fire when it says so.
 *
 * <pre>{@code
 * @SpringBootTest
 * @ResilienceTest
 * class PriceServiceTest {
 *     @Autowired PriceService prices;
 *     @Autowired ResilienceTester resilience;
 *
 *     @BeforeEach
 *     void reset() {
 *         resilience.reset();
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ResilienceTestConfiguration.class)
public @interface ResilienceTest {
}

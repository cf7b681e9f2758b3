package dev.resilience.benchmarks;

import dev.resilience.aspectj.ResilienceAspectJAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.autoconfigure.observation.ResilienceObservationAutoConfiguration;
import dev.resilience.benchmarks.woven.WovenServices;
import dev.resilience.redis.ResilienceRedisRateLimiterAutoConfiguration;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadMetricsAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aot.AotDetector;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * One small Spring application per variant. Each imports only the auto-configuration it measures, since this
 * module has both this starter and Resilience4j on its class path. Thresholds are the same for both libraries.
 */
public final class Apps {

    private static final String[] SAME_CONFIGURATION = {
        "resilience.circuitbreaker.instances.bench.sliding-window-size=100",
        "resilience.circuitbreaker.instances.bench.minimum-number-of-calls=20",
        "resilience.circuitbreaker.instances.bench.failure-rate-threshold=50",
        "resilience.retry.instances.bench.max-attempts=3",
        "resilience.retry.instances.bench.wait-duration=500ms",
        "resilience.bulkhead.instances.bench.max-concurrent-calls=25",
        "resilience.ratelimiter.instances.bench.limit-for-period=4194304",
        "resilience.ratelimiter.instances.bench.limit-refresh-period=1ms",
        "resilience4j.circuitbreaker.instances.bench.sliding-window-size=100",
        "resilience4j.circuitbreaker.instances.bench.minimum-number-of-calls=20",
        "resilience4j.circuitbreaker.instances.bench.failure-rate-threshold=50",
        "resilience4j.circuitbreaker.instances.open.sliding-window-size=100",
        "resilience4j.retry.instances.bench.max-attempts=3",
        "resilience4j.retry.instances.bench.wait-duration=500ms",
        "resilience4j.bulkhead.instances.bench.max-concurrent-calls=25",
        "resilience4j.bulkhead.instances.bench.max-wait-duration=0",
        "logging.level.root=warn",
    };

    private Apps() {
    }

    static ConfigurableApplicationContext start(Class<?> configuration, String... properties) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).logStartupInfo(false)
                .properties(SAME_CONFIGURATION).properties(properties).run();
    }

    /**
     * The floor: the proxy and one no-op MethodInterceptor behind a static pointcut, matched once per method when
     * the proxy is created. (An AspectJ expression pointcut would add Spring's ExposeInvocationInterceptor and
     * more per call.)
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class NoOpInterceptor {
        @Bean
        Services.Plain plain() {
            return new Services.Plain();
        }

        @Bean
        static Advisor noOpAdvisor() {
            AnnotationMatchingPointcut pointcut = AnnotationMatchingPointcut.forMethodAnnotation(Measured.class);
            MethodInterceptor noOp = invocation -> invocation.proceed();
            return new DefaultPointcutAdvisor(pointcut, noOp);
        }
    }

    /**
     * The baseline of the breaker with meters on: the floor's proxy and static pointcut, with an interceptor that
     * does exactly what a per-call timer needs (two {@code System.nanoTime()} reads and one {@code Timer.record})
     * on a timer registered like the starter's {@code resilience.circuitbreaker.calls}, in the same registry.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class})
    public static class TimedInterceptor {
        @Bean
        Services.Plain plain() {
            return new Services.Plain();
        }

        @Bean
        static TimedCalls timedCalls() {
            return new TimedCalls();
        }

        @Bean
        static Advisor timedAdvisor(TimedCalls timedCalls) {
            return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(Measured.class),
                    timedCalls);
        }
    }

    /** Times each call with a timer bound when the registry is ready (a {@link MeterBinder}, as the starter's). */
    static final class TimedCalls implements MethodInterceptor, MeterBinder {
        private Timer timer;

        @Override
        public void bindTo(MeterRegistry registry) {
            timer = Timer.builder("bench.calls").tag("name", "bench").tag("kind", "successful")
                    .description("Calls timed by the baseline interceptor").register(registry);
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            long start = System.nanoTime();
            try {
                return invocation.proceed();
            } finally {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A no-op AspectJ {@code @Around} advice binding the annotation, as annotation-driven aspects do. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class NoOpAround {
        @Bean
        Services.Plain plain() {
            return new Services.Plain();
        }

        @Bean
        NoOpAspect noOpAspect() {
            return new NoOpAspect();
        }
    }

    @Aspect
    public static class NoOpAspect {
        @Around("@annotation(measured)")
        public Object around(ProceedingJoinPoint joinPoint, Measured measured) throws Throwable {
            return joinPoint.proceed();
        }
    }

    /** This starter, without meters. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class})
    public static class Ours {
        @Bean
        Services.Ours ours() {
            return new Services.Ours();
        }
    }

    /**
     * This starter's {@code scope: cluster} rate limiter on the Redis at 127.0.0.1:6379 (Bucket4j's Lettuce proxy
     * manager, batching), with a limit no benchmark thread reaches.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
            DataRedisAutoConfiguration.class, ResilienceRedisRateLimiterAutoConfiguration.class})
    public static class OursCluster {
        static final String[] PROPERTIES = {"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
            "resilience.ratelimiter.instances.cluster.scope=cluster",
            "resilience.ratelimiter.instances.cluster.limit-for-period=4194304",
            "resilience.ratelimiter.instances.cluster.limit-refresh-period=1s",
            "resilience.ratelimiter.instances.cluster.on-backend-failure=reject"};

        @Bean
        Services.OursCluster oursCluster() {
            return new Services.OursCluster();
        }
    }

    /**
     * This starter in AspectJ mode: no proxy; {@code WovenServices} was woven by ajc at compile time and takes its
     * pipelines from this context. Started with {@code resilience.aop.mode=aspectj}.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ResilienceAutoConfiguration.class, ResilienceAspectJAutoConfiguration.class})
    public static class OursAspectJ {
        @Bean
        WovenServices woven() {
            return new WovenServices();
        }
    }

    /** This starter on asynchronous methods, without meters. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class})
    public static class OursAsync {
        @Bean
        Services.OursAsync oursAsync() {
            return new Services.OursAsync();
        }
    }

    /** Resilience4j on asynchronous methods, with its meters as a Boot application has them. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
            RetryAutoConfiguration.class, BulkheadAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CircuitBreakerMetricsAutoConfiguration.class, RetryMetricsAutoConfiguration.class,
            BulkheadMetricsAutoConfiguration.class})
    public static class Resilience4jAsync {
        @Bean
        Services.Resilience4jAsync resilience4jAsync() {
            return new Services.Resilience4jAsync();
        }
    }

    /**
     * This starter with its observation auto-configuration and Micrometer's no-op {@code ObservationRegistry}: the
     * pipelines get no observation step (issue 18: observation off must cost nothing).
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
            ResilienceObservationAutoConfiguration.class})
    public static class OursObservationOff {
        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.NOOP;
        }

        @Bean
        Services.Ours ours() {
            return new Services.Ours();
        }
    }

    /**
     * This starter with a real {@code ObservationRegistry}: one {@code resilience.call} observation per call, timed
     * by Micrometer's {@code DefaultMeterObservationHandler} on a simple meter registry, as Boot sets it up with
     * Actuator and no tracer.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
            ResilienceObservationAutoConfiguration.class})
    public static class OursObservationOn {
        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            return registry;
        }

        @Bean
        Services.Ours ours() {
            return new Services.Ours();
        }
    }

    /** This starter with Micrometer: every meter bound. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
            MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class})
    public static class OursWithMetrics {
        @Bean
        Services.Ours ours() {
            return new Services.Ours();
        }
    }

    /** Resilience4j's spring-boot4 module with its meters, as a Boot application has it by default. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
            RetryAutoConfiguration.class, BulkheadAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CircuitBreakerMetricsAutoConfiguration.class, RetryMetricsAutoConfiguration.class,
            BulkheadMetricsAutoConfiguration.class})
    public static class Resilience4j {
        @Bean
        Services.Resilience4j resilience4j() {
            return new Services.Resilience4j();
        }
    }

    /**
     * Starts an application of {@code configuration} with the generated startup beans registered (see
     * {@link GeneratedServices}), their class loader as the context's.
     */
    static ConfigurableApplicationContext startWith(Class<?> configuration, List<Class<?>> beans) {
        return startWith(configuration, beans, ApplicationStartup.DEFAULT);
    }

    /**
     * As {@link #startWith(Class, List)}, recording its steps in {@code startup} (see {@link StartupSteps}). Started
     * with Spring AOT's generated artifacts ({@code -Dspring.aot.enabled=true}, see {@link StartupAot}), the beans are
     * registered by the generated initializer, not again here.
     */
    static ConfigurableApplicationContext startWith(Class<?> configuration, List<Class<?>> beans,
            ApplicationStartup startup) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE).logStartupInfo(false).bannerMode(Banner.Mode.OFF)
                .resourceLoader(new DefaultResourceLoader(beans.get(0).getClassLoader())).applicationStartup(startup)
                .properties("logging.level.root=warn", "resilience.aop.mode="
                        + (configuration == StartupAspectJ.class ? "aspectj" : "proxy"));
        if (!AotDetector.useGeneratedArtifacts()) {
            application.initializers(context -> beans.forEach(type -> ((GenericApplicationContext) context)
                    .registerBean(type)));
        }
        return application.run();
    }

    /** The generated beans that {@code variant} starts: woven by ajc for AspectJ mode, else as javac made them. */
    static List<Class<?>> startupBeans(Class<?> variant) {
        return startsWoven(variant) ? GeneratedServices.wovenClasses() : GeneratedServices.classes();
    }

    /** Whether {@code variant} starts the generated beans woven by ajc. */
    static boolean startsWoven(Class<?> variant) {
        return variant == StartupAspectJ.class || variant == StartupWovenWithout.class;
    }

    /** Startup rows: the generated beans with Boot's AOP auto-configuration, without this starter. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class StartupWithout {
    }

    /**
     * Diagnostics ({@link StartupSteps}, {@code startup-aot.sh}): the classes {@link StartupAspectJ} starts, woven by
     * ajc, without this starter: what the woven bytecode alone costs a start (its calls would pass through unguarded).
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class StartupWovenWithout {
    }

    /**
     * Startup rows: the proxy floor of startup, what any proxy-based library pays before its own work: the same
     * beans proxied by Spring AOP for one no-op interceptor on their annotated methods.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class StartupProxyFloor {
        @Bean
        static Advisor noOpAdvisor() {
            AnnotationMatchingPointcut pointcut = AnnotationMatchingPointcut.forMethodAnnotation(
                    dev.resilience.annotation.CircuitBreaker.class);
            MethodInterceptor noOp = invocation -> invocation.proceed();
            return new DefaultPointcutAdvisor(pointcut, noOp);
        }
    }

    /** Startup rows: the same beans with this starter's auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class})
    public static class StartupWithStarter {
    }

    /**
     * Startup rows: the same beans woven with the starter's aspect at build time (ajc), with this starter in AspectJ
     * mode: no proxy is made.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
            ResilienceAspectJAutoConfiguration.class})
    public static class StartupAspectJ {
    }

    /** Startup rows with Micrometer (a simple registry), without this starter. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class})
    public static class StartupMetricsWithout {
    }

    /** Startup rows with Micrometer, with this starter and every meter bound. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            ResilienceAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class})
    public static class StartupMetricsWithStarter {
    }

    /** Spring Framework 7's {@code @Retryable} and {@code @ConcurrencyLimit}. */
    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    public static class SpringFramework {
        @Bean
        Services.SpringFramework springFramework() {
            return new Services.SpringFramework();
        }
    }
}

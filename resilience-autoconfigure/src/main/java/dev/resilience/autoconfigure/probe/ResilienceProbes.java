package dev.resilience.autoconfigure.probe;

import dev.resilience.annotation.HealthProbe;
import dev.resilience.autoconfigure.properties.ProbeSpec;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.EventSink;
import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.Quote;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeCheck;
import dev.resilience.probe.ProbeChecks;
import dev.resilience.probe.ProbeConfig;
import dev.resilience.probe.ProbeFailedException;
import dev.resilience.probe.ProbeStatus;
import dev.resilience.probe.ProbeStatusChange;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * The application's dependency probes: one per {@code resilience.probes.<name>} entry and per
 * {@link HealthProbe} method, made once every singleton exists (so that annotated methods are found), checked in
 * the background from the context's start to its stop. A probe that names a breaker holds it open while DOWN;
 * every probe counts toward the degradation level, and each status change is an application event, an entry of
 * the recent events and one log line.
 */
public final class ResilienceProbes implements SmartInitializingSingleton, SmartLifecycle, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(ResilienceProbes.class);
    private static final String PREFIX = "resilience.probes.";

    private final ResilienceProperties properties;
    private final ListableBeanFactory beans;
    private final CircuitBreakerRegistry breakers;
    private final DegradationMonitor monitor;
    private final Timing timing;
    private final EventSink events;
    private final Consumer<ProbeStatusChange> applicationEvents;
    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final List<Consumer<Probe>> probeListeners = new CopyOnWriteArrayList<>();
    private boolean made;
    private ExecutorService workers;
    private volatile boolean running;
    private volatile boolean backgroundChecks = true;

    /**
     * @param monitor the degradation level, or {@code null} without one
     * @param applicationEvents publishes each status change as an application event
     */
    public ResilienceProbes(ResilienceProperties properties, ListableBeanFactory beans, CircuitBreakerRegistry breakers,
            DegradationMonitor monitor, Timing timing, EventSink events,
            Consumer<ProbeStatusChange> applicationEvents) {
        this.properties = properties;
        this.beans = beans;
        this.breakers = breakers;
        this.monitor = monitor;
        this.timing = timing;
        this.events = events;
        this.applicationEvents = applicationEvents;
    }

    /** Every probe, in configuration order and then annotated ones. */
    public Collection<Probe> all() {
        return List.copyOf(probes.values());
    }

    public Optional<Probe> find(String name) {
        return Optional.ofNullable(probes.get(name));
    }

    /** Calls {@code listener} for each probe, made already or made later (probes are made once singletons exist). */
    public synchronized void onProbe(Consumer<Probe> listener) {
        probeListeners.add(listener);
        if (made) {
            probes.values().forEach(listener);
        }
    }

    @Override
    public synchronized void afterSingletonsInstantiated() {
        made = true;
        Map<String, ProbeCheck> annotated = annotatedChecks();
        Map<String, ProbeSpec> configured = new LinkedHashMap<>(properties.getProbes());
        annotated.keySet().forEach(name -> configured.putIfAbsent(name, new ProbeSpec()));
        if (configured.isEmpty()) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "resilience-probe-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        configured.forEach((name, spec) -> probes.put(name, create(name, spec, annotated.get(name))));
        probes.values().forEach(probe -> probeListeners.forEach(listener -> listener.accept(probe)));
    }

    private Probe create(String name, ProbeSpec spec, ProbeCheck annotatedCheck) {
        ProbeConfig config = config(name, spec);
        Probe probe = new Probe(name, config, check(name, spec, annotatedCheck, config), timing, workers);
        probe.setEventSink(events);
        probe.addListener(change -> {
            boolean down = change.to() == ProbeStatus.DOWN;
            LoggingEventBuilder line = (down ? logger.atWarn() : logger.atInfo())
                    .addKeyValue("resilience.kind", "probe")
                    .addKeyValue("resilience.instance", name)
                    .addKeyValue("resilience.from", change.from().name())
                    .addKeyValue("resilience.to", change.to().name())
                    .addKeyValue("resilience.criticality", config.criticality().name().toLowerCase(Locale.ROOT));
            if (config.circuitBreaker() != null) {
                line = line.addKeyValue("resilience.circuit_breaker", config.circuitBreaker());
            }
            if (down) {
                line.addKeyValue("resilience.error", change.error())
                        .log("Dependency probe '" + name + "' " + change.from() + " -> DOWN: " + change.error());
            } else {
                line.log("Dependency probe '" + name + "' " + change.from() + " -> " + change.to());
            }
            applicationEvents.accept(change);
        });
        if (config.circuitBreaker() != null) {
            probe.drive(breakers.get(config.circuitBreaker()));
        }
        if (monitor != null) {
            monitor.watch(probe);
        }
        return probe;
    }

    private ProbeConfig config(String name, ProbeSpec spec) {
        ProbeConfig defaults = ProbeConfig.defaults();
        try {
            ProbeConfig config = new ProbeConfig(or(spec.getInterval(), defaults.interval()),
                    or(spec.getTimeout(), defaults.timeout()), or(spec.getInitialDelay(), defaults.initialDelay()),
                    or(spec.getFailureThreshold(), defaults.failureThreshold()),
                    or(spec.getSuccessThreshold(), defaults.successThreshold()),
                    or(spec.getCriticality(), defaults.criticality()), spec.getCircuitBreaker());
            String breaker = config.circuitBreaker();
            if (breaker != null && !properties.getCircuitbreaker().getInstances().containsKey(breaker)) {
                throw new InvalidConfigurationPropertyValueException(PREFIX + name + ".circuit-breaker", breaker,
                        "must name a breaker configured under resilience.circuitbreaker.instances; configured: "
                                + properties.getCircuitbreaker().getInstances().keySet());
            }
            return config;
        } catch (InvalidConfigurationException invalid) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name + "." + invalid.property(),
                    Quote.shortened(invalid.value()), invalid.allowed());
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Exactly one target: a URL, a host and port, or an annotated method. */
    private static ProbeCheck check(String name, ProbeSpec spec, ProbeCheck annotated, ProbeConfig config) {
        boolean tcp = spec.getHost() != null || spec.getPort() != null;
        int targets = (spec.getUrl() != null ? 1 : 0) + (tcp ? 1 : 0) + (annotated != null ? 1 : 0);
        if (targets != 1) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name, targets == 0 ? "no target"
                    : "several targets", "a probe needs exactly one target: url, or host and port, or a bean method "
                            + "annotated @HealthProbe(\"" + name + "\")");
        }
        if (annotated != null) {
            return annotated;
        }
        if (spec.getUrl() != null) {
            String scheme = spec.getUrl().getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new InvalidConfigurationPropertyValueException(PREFIX + name + ".url",
                        Quote.shortened(spec.getUrl()), "must be an http or https URL");
            }
            return ProbeChecks.http(spec.getUrl(), config.timeout());
        }
        if (!StringUtils.hasText(spec.getHost())) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name + ".host", spec.getHost(),
                    "a TCP probe needs a host with its port");
        }
        if (spec.getPort() == null || spec.getPort() < 1 || spec.getPort() > 65535) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + name + ".port", spec.getPort(),
                    "a TCP probe needs a port in [1, 65535] with its host");
        }
        return ProbeChecks.tcp(spec.getHost(), spec.getPort(), config.timeout());
    }

    /** The {@link HealthProbe} methods of every bean, by probe name. */
    private Map<String, ProbeCheck> annotatedChecks() {
        Map<String, ProbeCheck> checks = new LinkedHashMap<>();
        Map<String, String> declaredBy = new LinkedHashMap<>();
        for (String beanName : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(beanName, false);
            if (type == null || !AnnotationUtils.isCandidateClass(type, HealthProbe.class)) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            ReflectionUtils.doWithMethods(userType, method -> {
                HealthProbe probe = AnnotatedElementUtils.findMergedAnnotation(method, HealthProbe.class);
                String name = probeName(probe, method);
                String where = userType.getName() + "." + method.getName() + "()";
                String earlier = declaredBy.putIfAbsent(name, where);
                if (earlier != null) {
                    throw new IllegalStateException("@HealthProbe(\"" + name + "\") is declared twice: on " + earlier
                            + " and on " + where);
                }
                checks.put(name, methodCheck(beanName, method, where));
            }, method -> AnnotatedElementUtils.hasAnnotation(method, HealthProbe.class));
        }
        return checks;
    }

    private static String probeName(HealthProbe probe, Method method) {
        String value = probe.value();
        String name = probe.name();
        if (StringUtils.hasText(value) && StringUtils.hasText(name) && !value.equals(name)) {
            throw new IllegalStateException("@HealthProbe on " + method + " sets both value and name; set one");
        }
        String chosen = StringUtils.hasText(value) ? value : name;
        if (!StringUtils.hasText(chosen)) {
            throw new IllegalStateException("@HealthProbe on " + method + " needs a probe name, e.g. "
                    + "@HealthProbe(\"vector-store\")");
        }
        return chosen.trim();
    }

    private ProbeCheck methodCheck(String beanName, Method method, String where) {
        Class<?> returns = method.getReturnType();
        if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers())
                || !(returns == boolean.class || returns == Boolean.class || returns == void.class)) {
            throw new IllegalStateException("@HealthProbe method " + where + " must be an instance method without "
                    + "parameters returning boolean or void");
        }
        ReflectionUtils.makeAccessible(method);
        return () -> {
            Object bean = beans.getBean(beanName);
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            Object result;
            try {
                result = invocable.invoke(bean);
            } catch (InvocationTargetException failed) {
                throw failed.getCause() instanceof Exception cause ? cause : failed;
            }
            if (Boolean.FALSE.equals(result)) {
                throw new ProbeFailedException(where + " answered false");
            }
        };
    }

    /**
     * Whether probes check in the background once the context starts (default true). Tests that drive the probes
     * themselves ({@code ResilienceTester.checkProbe}) switch it off before the context starts, so that no check
     * races with theirs; a check then runs only when asked ({@link Probe#runNow()}, the endpoint's run).
     */
    public void setBackgroundChecks(boolean backgroundChecks) {
        this.backgroundChecks = backgroundChecks;
    }

    @Override
    public void start() {
        if (backgroundChecks) {
            probes.values().forEach(Probe::start);
        }
        running = true;
    }

    @Override
    public void stop() {
        probes.values().forEach(Probe::stop);
        running = false;
    }

    /** The workers end with the context, not at a stop: a stopped context may be started again. */
    @Override
    public void destroy() {
        probes.values().forEach(Probe::stop);
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

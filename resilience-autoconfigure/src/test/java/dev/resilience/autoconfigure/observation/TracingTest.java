package dev.resilience.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With a real tracer (Brave, through Micrometer Tracing's bridge), a request's trace shows the guarded call as a
 * child span with its retries and fallback, and a retried attempt on the scheduler thread stays in the trace.
 */
class TracingTest {

    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    private final Tracing tracing = Tracing.newBuilder()
            .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
            .addSpanHandler(new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    spans.add(span);
                    return true;
                }
            }).build();
    private final Tracer tracer = new BraveTracer(tracing.tracer(),
            new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
    private final ObservationRegistry registry = ObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(ObservedServices.class, ObservedServices::new)
            .withBean(ObservationRegistry.class, () -> registry)
            .withPropertyValues("resilience.retry.instances.inventory.max-attempts=3",
                    "resilience.retry.instances.inventory.wait-duration=1ms");

    TracingTest() {
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    @AfterEach
    void close() {
        tracing.close();
    }

    private String traceAndSpan() {
        Span current = tracer.currentSpan();
        return current == null ? "none" : current.context().traceId() + "/" + current.context().spanId();
    }

    private static List<String> annotations(MutableSpan span) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < span.annotationCount(); i++) {
            values.add(span.annotationValueAt(i));
        }
        return values;
    }

    @Test
    void theRequestsTraceShowsTheRetriesAndTheFallback() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(this::traceAndSpan);
            services.failing().set(3);
            Observation request = Observation.start("http.server.requests", registry);

            try (Observation.Scope scope = request.openScope()) {
                assertThat(services.stockOrCached()).isEqualTo("cached");
            }
            request.stop();

            MutableSpan call = spans.stream().filter(span -> "resilience inventory".equals(span.name())).findFirst()
                    .orElseThrow();
            MutableSpan server = spans.stream().filter(span -> span != call).findFirst().orElseThrow();
            assertThat(call.parentId()).isEqualTo(server.id());
            assertThat(call.traceId()).isEqualTo(server.traceId());
            assertThat(annotations(call)).containsExactly("retry 2 after IOException", "retry 3 after IOException",
                    "fallback after IOException");
            assertThat(call.tags()).containsEntry("resilience.outcome", "fallback")
                    .containsEntry("resilience.attempts", "3");
            assertThat(services.seen()).as("every attempt runs in the call's span").hasSize(3)
                    .allMatch(seen -> seen.equals(call.traceId() + "/" + call.id()));
        });
    }

    @Test
    void aRetriedAttemptOnTheSchedulerThreadStaysInTheCallersTrace() {
        runner.run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.probe(() -> Thread.currentThread().getName() + " " + traceAndSpan());
            services.failing().set(1);
            Observation request = Observation.start("http.server.requests", registry);

            try (Observation.Scope scope = request.openScope()) {
                assertThat(services.stockAsync().get(10, TimeUnit.SECONDS)).isEqualTo("12");
            }
            request.stop();

            MutableSpan call = spans.stream().filter(span -> "resilience inventory".equals(span.name())).findFirst()
                    .orElseThrow();
            assertThat(services.seen()).hasSize(2);
            assertThat(services.seen().get(1)).isEqualTo("resilience-scheduler " + call.traceId() + "/" + call.id());
            assertThat(annotations(call)).containsExactly("retry 2 after IOException");
        });
    }
}

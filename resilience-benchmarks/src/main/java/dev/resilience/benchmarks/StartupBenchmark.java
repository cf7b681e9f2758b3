package dev.resilience.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The time to start an application with 1,000 guarded methods ({@link GeneratedServices}), with and without this
 * starter, with and without Micrometer. One start per iteration (single-shot time); each start is closed after its
 * iteration, outside the measurement. Run in fresh forks without warm-up, a row is the cold start a user sees.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class StartupBenchmark {

    private List<Class<?>> beans;
    private List<Class<?>> woven;
    private ConfigurableApplicationContext context;

    @Setup(Level.Trial)
    public void generate() {
        beans = GeneratedServices.classes();
        woven = GeneratedServices.wovenClasses();
    }

    @TearDown(Level.Iteration)
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Benchmark
    public Object startupWithout() {
        return context = Apps.startWith(Apps.StartupWithout.class, beans);
    }

    @Benchmark
    public Object startupProxyFloor() {
        return context = Apps.startWith(Apps.StartupProxyFloor.class, beans);
    }

    @Benchmark
    public Object startupWithStarter() {
        return context = Apps.startWith(Apps.StartupWithStarter.class, beans);
    }

    @Benchmark
    public Object startupAspectJ() {
        return context = Apps.startWith(Apps.StartupAspectJ.class, woven);
    }

    @Benchmark
    public Object startupMetricsWithout() {
        return context = Apps.startWith(Apps.StartupMetricsWithout.class, beans);
    }

    @Benchmark
    public Object startupMetricsWithStarter() {
        return context = Apps.startWith(Apps.StartupMetricsWithStarter.class, beans);
    }
}

package dev.resilience.aspectj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.aspectj.ltw.Quotes;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.util.AopTestUtils;

/** AspectJ mode on classes woven at compile time: what the proxy cannot guard is guarded, and only once. */
@ExtendWith(OutputCaptureExtension.class)
class AspectJModeTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceAspectJAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Answers.class)
            .withBean(Quoter.class)
            .withPropertyValues("resilience.retry.instances.answers.max-attempts=3",
                    "resilience.retry.instances.answers.wait-duration=0ms",
                    "resilience.retry.instances.quotes.max-attempts=2",
                    "resilience.retry.instances.quotes.wait-duration=0ms",
                    "resilience.circuitbreaker.instances.status.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.instances.status.sliding-window-size=2");

    private final ApplicationContextRunner aspectj = runner.withPropertyValues("resilience.aop.mode=aspectj");

    @Test
    void selfInvocationIsRetried() {
        aspectj.run(context -> {
            Answers answers = context.getBean(Answers.class);

            assertThat(answers.ask()).isEqualTo("42");
            assertThat(answers.attempts).hasValue(3);
        });
    }

    @Test
    void everyAttemptRunsOnTheArgumentsOfTheCallWhateverTheirNumberAndType() {
        aspectj.run(context -> {
            Quoter quoter = context.getBean(Quoter.class);

            assertThat(quoter.quoteAll("ACME", 7, 99L, null, true))
                    .isEqualTo("q0|q1:ACME|q2:ACME,7|q3:ACME,7,99|q5:ACME,7,99,null,true");
            assertThat(quoter.doubled(21)).as("a primitive result and argument").isEqualTo(42);

            assertThat(quoter.attempts).as("each call's two attempts, on its own arguments").containsExactly(
                    "q0", "q0", "q1:ACME", "q1:ACME", "q2:ACME,7", "q2:ACME,7", "q3:ACME,7,99", "q3:ACME,7,99",
                    "q5:ACME,7,99,null,true", "q5:ACME,7,99,null,true", "d:21", "d:21");
        });
    }

    @Test
    void fallbacksReceiveTheArgumentsOfTheCallWhateverTheirNumberAndType() {
        aspectj.run(context -> {
            Quoter quoter = context.getBean(Quoter.class);
            quoter.down = true;

            assertThat(quoter.quoteAll(null, 7, 99L, "XNYS", false))
                    .isEqualTo("none|none:null|none:null,7|none:null,7,99|none:null,7,99,XNYS,false");
        });
    }

    @Test
    void aCheckedExceptionReachesTheCallerAsItWasThrown() {
        aspectj.run(context -> {
            Quoter quoter = context.getBean(Quoter.class);
            quoter.down = true;

            assertThatThrownBy(() -> quoter.doubled(1)).isInstanceOf(java.io.IOException.class)
                    .hasMessage("no quote for d:1");
            assertThat(quoter.attempts).as("retried first").containsExactly("d:1", "d:1");
        });
    }

    @Test
    void privateMethodOpensItsBreakerAndFallsBack() {
        aspectj.run(context -> {
            Answers answers = context.getBean(Answers.class);
            answers.down.set(true);

            assertThat(answers.status()).isEqualTo("unknown (IllegalStateException)");
            assertThat(answers.status()).isEqualTo("unknown (IllegalStateException)");
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("status").getState())
                    .isEqualTo(CircuitBreakerState.OPEN);
            assertThat(answers.status()).isEqualTo("unknown (CircuitBreakerOpenException)");
            assertThat(answers.checks).as("the open breaker kept the call from the method").hasValue(2);
        });
    }

    @Test
    void objectCreatedWithNewIsGuarded() {
        aspectj.run(context -> {
            Answers answers = new Answers();

            assertThat(answers.ask()).isEqualTo("42");
            assertThat(answers.attempts).hasValue(3);
        });
    }

    @Test
    void completableFutureOfASelfCallIsRetried() {
        aspectj.run(context -> {
            Answers answers = new Answers();

            CompletableFuture<String> answer = answers.askLater();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));

            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("42");
            assertThat(answers.attempts).hasValue(3);
        });
    }

    @Test
    void monoOfASelfCallIsRetriedAndSynchronousCallsStayGuarded() {
        aspectj.run(context -> {
            Answers answers = new Answers();

            CompletableFuture<String> answer = answers.askReactively().toFuture();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));

            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("42");
            assertThat(answers.attempts).hasValue(3);
            Answers later = new Answers();
            assertThat(later.ask()).as("a synchronous call after a reactive one").isEqualTo("42");
            assertThat(later.attempts).hasValue(3);
        });
    }

    @Test
    void aMethodReturningANestedReactorTypeWithALastKnownGoodAnswerIsGuarded() {
        aspectj.run(context -> {
            Sinks sinks = new Sinks();
            Object good = sinks.sink();
            sinks.down = true;

            assertThat(sinks.sink()).as("the last good answer, served by @LastKnownGood").isSameAs(good);
        });
    }

    @Test
    void aspectjModeRegistersNoProxyAdvisorSoNothingIsAppliedTwice() {
        aspectj.run(context -> {
            assertThat(context).doesNotHaveBean(ResilienceAdvisor.class);
            Answers answers = context.getBean(Answers.class);
            assertThat(AopUtils.isAopProxy(answers)).isFalse();
            Answers failing = new Answers(Integer.MAX_VALUE);

            assertThatThrownBy(failing::answer).hasMessage("flaky 3");
            assertThat(failing.attempts).as("three attempts, not three times three").hasValue(3);
        });
    }

    @Test
    void proxyModeLeavesGuardingToTheProxyOnce() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ResilienceAdvisor.class);
            Answers answers = context.getBean(Answers.class);
            assertThat(AopUtils.isAopProxy(answers)).isTrue();
            Answers target = AopTestUtils.getTargetObject(answers);
            target.attempts.set(-100);

            assertThatThrownBy(answers::answer).hasMessage("flaky -97");
            assertThat(target.attempts).as("three attempts by the proxy, none added by the woven aspect")
                    .hasValue(-97);
            Answers unproxied = new Answers();
            assertThatThrownBy(unproxied::ask).as("proxy mode: a self-call is not guarded").hasMessage("flaky 1");
        });
    }

    @Test
    void callBeforeAnyContextIsReadyRunsUnguardedWithOneWarning(CapturedOutput output) {
        JoinPointPipelines.forgetWarning();
        Answers answers = new Answers();

        assertThatThrownBy(answers::ask).hasMessage("flaky 1");
        assertThatThrownBy(answers::ask).hasMessage("flaky 2");
        assertThat(answers.ask()).isEqualTo("42");
        assertThat(output.getOut().split("ran unguarded", -1)).hasSize(2);
    }

    @Test
    void aBeanWhoseClassIsNotWovenStopsStartupInAspectJModeNamingTheClassAndHowToWeaveIt() {
        // javac compiled the ltw package, and this JVM has no weaver agent: nothing would guard Quotes's retry.
        aspectj.withBean(Quotes.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining(Quotes.class.getName())
                    .hasStackTraceContaining("is not woven with the resilience aspect")
                    .hasStackTraceContaining("fetch would run unguarded")
                    .hasStackTraceContaining("aspectj-maven-plugin").hasStackTraceContaining("-javaagent")
                    .hasStackTraceContaining("resilience.aop.mode=proxy");
        });
        runner.withBean(Quotes.class).run(context -> assertThat(context).as("proxy mode does not need weaving")
                .hasNotFailed());
    }

    @Test
    void aWovenBeanWithAnAnnotationAspectJDoesNotMatchStartsWithAWarningNamingTheMethod(CapturedOutput output) {
        aspectj.withBean(Shop.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output.getOut()).contains("AspectJ wove no advice into price of " + Shop.class.getName())
                    .doesNotContain("into stock").doesNotContain(Answers.class.getName());
        });
    }

    @Test
    void aWovenBeanThatTakesATimeoutFromItsInterfaceStopsStartupNamingTheMethodAndTheFix() {
        aspectj.withBean(InheritsTimeout.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("A @Timeout or @LastKnownGood applies to "
                            + InheritsTimeout.class.getName() + ".answer from an interface")
                    .hasStackTraceContaining("annotate " + InheritsTimeout.class.getName() + ".answer (or its class)")
                    .hasStackTraceContaining("bean 'inheritsTimeout'");
        });
        runner.withBean(InheritsTimeout.class).run(context -> assertThat(context)
                .as("the proxy applies the interface's timeout").hasNotFailed());
    }

    @Test
    void aClassLevelTimeoutIsWovenWithTheAdviceThatRunsItOnAWorker() {
        aspectj.withBean(TimedClass.class).run(context -> {
            assertThat(context).hasNotFailed();
            for (TimedClass timed : new TimedClass[] {context.getBean(TimedClass.class), new TimedClass()}) {
                assertThat(timed.answer()).isEqualTo("42");
                assertThat(timed.ranOn).as("the timeout's worker ran the method").isNotNull()
                        .isNotSameAs(Thread.currentThread());
            }
        });
    }

    @Test
    void aMethodOverridingOneOfAClassOrInterfaceWithAClassLevelTimeoutStartsAndRunsOnTheWorker() {
        // AspectJ matches the class-level @Timeout of the supertype that declares the overridden method too.
        aspectj.withBean(SubOfTimed.class).withBean(ImplOfTimedType.class).run(context -> {
            assertThat(context).hasNotFailed();
            SubOfTimed sub = context.getBean(SubOfTimed.class);
            ImplOfTimedType impl = context.getBean(ImplOfTimedType.class);
            assertThat(sub.answer()).isEqualTo("sub");
            assertThat(impl.answer()).isEqualTo("impl");
            assertThat(sub.ranOn).as("the timeout's worker ran the method").isNotNull()
                    .isNotSameAs(Thread.currentThread());
            assertThat(impl.ranOn).isNotNull().isNotSameAs(Thread.currentThread());
        });
    }

    @Test
    void aSubclassClassLevelAnnotationAppliesToTheWovenMethodItInheritsAsThroughTheProxy() {
        for (ApplicationContextRunner mode : new ApplicationContextRunner[] {aspectj, runner}) {
            mode.withBean(BreakerSub.class).run(context -> {
                BreakerSub sub = context.getBean(BreakerSub.class);

                assertThat(sub.fetch()).isEqualTo("offline (IllegalStateException)");
                assertThat(sub.fetch()).isEqualTo("offline (IllegalStateException)");
                assertThat(context.getBean(CircuitBreakerRegistry.class).get("status").getState())
                        .as("the subclass's breaker counted the calls").isEqualTo(CircuitBreakerState.OPEN);
                assertThat(sub.fetch()).isEqualTo("offline (CircuitBreakerOpenException)");
                BreakerSub target = AopTestUtils.getUltimateTargetObject(sub); // a proxy's fields are its own
                assertThat(target.calls).as("the open breaker kept the call from the method").hasValue(2);
            });
        }
        aspectj.run(context -> {
            OfflineBase base = new OfflineBase();
            for (int call = 0; call < 3; call++) {
                assertThat(base.fetch()).as("the superclass's own objects have no breaker")
                        .isEqualTo("offline (IllegalStateException)");
            }
            assertThat(base.calls).hasValue(3);
            BreakerSub made = new BreakerSub();
            made.fetch();
            made.fetch();
            assertThat(made.fetch()).as("a subclass object made with new takes its class's breaker")
                    .isEqualTo("offline (CircuitBreakerOpenException)");
            assertThat(made.calls).hasValue(2);
        });
    }

    @Test
    void aSubclassClassLevelTimeoutOnAnInheritedInlineWovenMethodStopsStartupNamingTheMethodAndTheFix() {
        aspectj.withBean(TimeoutSub.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("A @Timeout or @LastKnownGood applies to " + OfflineBase.class.getName()
                            + ".fetch (called on " + TimeoutSub.class.getName() + ")")
                    .hasStackTraceContaining("override the method in the class that carries it")
                    .hasStackTraceContaining("bean 'timeoutSub'");
        });
        runner.withBean(TimeoutSub.class).run(context -> assertThat(context)
                .as("the proxy applies the subclass's timeout").hasNotFailed());
        aspectj.run(context -> assertThatThrownBy(() -> new TimeoutSub().fetch())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(OfflineBase.class.getName() + ".fetch (called on " + TimeoutSub.class.getName()));
    }

    @Test
    void anObjectCreatedWithNewThatTakesATimeoutFromItsInterfaceFailsItsCallsSayingWhy() {
        aspectj.run(context -> assertThatThrownBy(() -> new InheritsTimeout().answer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(InheritsTimeout.class.getName() + ".answer from an interface")
                .hasMessageContaining("annotate"));
    }

    @Test
    void unknownModeStopsStartupNamingThePropertyTheValueAndTheModes() {
        runner.withPropertyValues("resilience.aop.mode=weaving").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("resilience.aop.mode")
                    .hasStackTraceContaining("weaving").hasStackTraceContaining("must be proxy or aspectj");
        });
    }
}

package dev.resilience.deferred.autoconfigure;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.ResilienceBinding;
import dev.resilience.autoconfigure.properties.ResilienceSection;
import dev.resilience.core.Timing;
import dev.resilience.deferred.DeferredCallScheduler;
import dev.resilience.deferred.DeferredCalls;
import dev.resilience.deferred.DeferredQueue;
import dev.resilience.deferred.DeferredTable;
import dev.resilience.deferred.RetryLaterAdvisor;
import dev.resilience.deferred.RetryLaterInterceptor;
import dev.resilience.deferred.RetryLaterMethods;
import dev.resilience.deferred.RetryLaterProperties;
import java.util.SortedSet;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code @RetryLater} on db-scheduler, with the application's {@code DataSource} and {@code JsonMapper}. Needs a
 * {@code DataSource}: an application that adds this module without one fails at startup saying so.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnClass(Scheduler.class)
public final class DeferredCallsAutoConfiguration {

    private static final Log logger = LogFactory.getLog(DeferredCallsAutoConfiguration.class);

    /** Tells the binding of {@code resilience.*} that {@code resilience.retry-later} is bound here. */
    public static final class Section implements ResilienceSection {
        @Override
        public String name() {
            return "retry-later";
        }
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static RetryLaterMethods resilienceRetryLaterMethods() {
        return new RetryLaterMethods();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static RetryLaterAdvisor resilienceRetryLaterAdvisor(RetryLaterMethods resilienceRetryLaterMethods,
            ObjectProvider<DeferredCalls> calls) {
        return new RetryLaterAdvisor(new RetryLaterInterceptor(resilienceRetryLaterMethods, calls::getObject));
    }

    @Bean
    @ConditionalOnMissingBean
    RetryLaterProperties resilienceRetryLaterProperties(Environment environment) {
        RetryLaterProperties properties = ResilienceBinding.bindSection(Binder.get(environment), "retry-later",
                RetryLaterProperties.class);
        properties.validate();
        return properties;
    }

    @Bean
    @ConditionalOnMissingBean
    DeferredCalls resilienceDeferredCalls(DataSource dataSource, RetryLaterProperties properties,
            ObjectProvider<JsonMapper> json, Timing timing) {
        DeferredTable table = new DeferredTable(dataSource, properties.getTableName(), properties.isCreateTable());
        if (!table.ensure()) {
            logger.warn("The database of stored calls cannot be reached (" + table.lastFailure() + "): the start goes "
                    + "on; the table " + properties.getTableName() + " (resilience.retry-later.table-name) is made sure "
                    + "of once it answers, at the scheduler's next poll or the next store or reading. Until then a "
                    + "@RetryLater call that fails cannot be stored (its caller gets an IllegalStateException) and the "
                    + "deferredCalls health component is UNKNOWN");
        }
        // Joins the caller's Spring transaction: a call made in a transaction is stored only if it commits.
        SchedulerClient client = SchedulerClient.Builder
                .create(new TransactionAwareDataSourceProxy(dataSource),
                        Tasks.custom(DeferredCalls.TASK_NAME, String.class).execute((instance, context) -> {
                            throw new IllegalStateException("the client only stores calls");
                        }))
                .tableName(properties.getTableName())
                .serializer(DeferredCallScheduler.UTF8)
                .enablePriority()
                .jdbcCustomization(table.jdbcCustomization())
                .build();
        return new DeferredCalls(client, dataSource, json.getIfAvailable(JsonMapper::new), timing, properties, table);
    }

    /**
     * The queue's figures for meters and health: of every {@code @RetryLater} instance (those registered by the
     * time of a reading) and every configured one.
     */
    @Bean
    @ConditionalOnMissingBean
    DeferredQueue resilienceDeferredQueue(DeferredCalls calls, RetryLaterMethods methods,
            RetryLaterProperties properties) {
        return calls.queue(() -> {
            SortedSet<String> instances = methods.instances();
            instances.addAll(properties.getInstances().keySet());
            return instances;
        });
    }

    /** Applies a Spring Cloud refresh of {@code resilience.retry-later.*} to the bean that exists. */
    @Bean
    static RetryLaterRefresher resilienceRetryLaterRefresher(Environment environment,
            ObjectProvider<DeferredCalls> calls) {
        return new RetryLaterRefresher(environment, calls);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = RetryLaterProperties.PREFIX, name = "replay", matchIfMissing = true)
    DeferredCallScheduler resilienceDeferredCallScheduler(DataSource dataSource, DeferredCalls calls,
            RetryLaterMethods methods, BeanFactory beans, RetryLaterProperties properties, Timing timing,
            ObjectProvider<SchedulerListener> listeners) {
        return new DeferredCallScheduler(dataSource, calls, methods, beans, properties, timing,
                listeners.orderedStream().toList());
    }
}

package io.dynamicindex.scheduler.lease;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.dynamicindex.scheduler.config.SchedulerInstance;

/**
 * The ShedLock lock provider behind the route leases: rows in {@code scheduler_lease}, compared in database time,
 * each marked with this instance's id so that only the holder renews or releases its lease.
 */
@Configuration(proxyBeanMethods = false)
public class LeaseConfiguration {

    @Bean
    LockProvider routeLockProvider(JdbcTemplate jdbc, SchedulerInstance instance) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withTableName("scheduler_lease")
                .withLockedByValue(instance.id())
                .usingDbTime()
                .build());
    }
}

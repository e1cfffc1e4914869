package io.dynamicindex.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The throttling mover daemon. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QueueSchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueueSchedulerApplication.class, args);
    }
}

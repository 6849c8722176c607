package com.returnbridge.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurableH2Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/var/lib/returnbridge/db | jdbc:h2:file:/var/lib/returnbridge/db;WRITE_DELAY=0",
            "jdbc:h2:./data/rb                     | jdbc:h2:./data/rb;WRITE_DELAY=0",
            "jdbc:h2:~/rb;MODE=PostgreSQL          | jdbc:h2:~/rb;MODE=PostgreSQL;WRITE_DELAY=0",
            "jdbc:h2:file:./db;WRITE_DELAY=500     | jdbc:h2:file:./db;WRITE_DELAY=0",
            "jdbc:h2:file:./db;write_delay = 500;AUTO_SERVER=TRUE | jdbc:h2:file:./db;AUTO_SERVER=TRUE;WRITE_DELAY=0",
            "jdbc:h2:file:./db;WRITE_DELAY=0       | jdbc:h2:file:./db;WRITE_DELAY=0",
            "jdbc:h2:mem:test                      | jdbc:h2:mem:test",
            "jdbc:h2:tcp://db-host/rb              | jdbc:h2:tcp://db-host/rb",
            "jdbc:postgresql://db/rb               | jdbc:postgresql://db/rb"})
    void everyEmbeddedH2FileDatabaseWritesItsCommitsBeforeTheyAreAnswered(String given, String used) {
        assertThat(DurableH2.durable(given)).isEqualTo(used);
    }
}

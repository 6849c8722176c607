package com.returnbridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Business time as an SLA counts it: weekends and nights off, the hours moving with daylight saving. */
class BusinessClockTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final BusinessClock office = BusinessClock.parse("09:00-17:00", "MON-FRI", "Europe/Berlin");

    private static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    private static LocalDateTime local(Instant instant, ZoneId zone) {
        return LocalDateTime.ofInstant(instant, zone);
    }

    @Test
    void twoBusinessDaysFromMondayMorningAreWednesdayMorning() {
        Sla sla = Sla.of("P2D", "09:00-17:00", "MON-FRI", "Europe/Berlin", null);
        assertThat(sla.allowed()).isEqualTo(Duration.ofHours(16));
        // 2026-11-02 is a Monday
        assertThat(local(sla.due(at("2026-11-02T10:00", BERLIN)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-04T10:00"));
    }

    @Test
    void theWeekendIsOff() {
        // Friday 16:00 + 2 business hours: one on Friday, one on Monday
        assertThat(local(office.plus(at("2026-11-06T16:00", BERLIN), Duration.ofHours(2)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-09T10:00"));
        assertThat(office.between(at("2026-11-06T16:00", BERLIN), at("2026-11-09T10:00", BERLIN)))
                .isEqualTo(Duration.ofHours(2));
        // delivered on Saturday: the clock starts on Monday at nine
        assertThat(local(office.plus(at("2026-11-07T11:00", BERLIN), Duration.ofHours(1)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-09T10:00"));
        assertThat(office.isOpen(at("2026-11-07T11:00", BERLIN))).isFalse();
        assertThat(office.isOpen(at("2026-11-09T11:00", BERLIN))).isTrue();
    }

    @Test
    void nightsAreOffAndTheClockStartsWhenTheOfficeOpens() {
        assertThat(local(office.plus(at("2026-11-03T07:00", BERLIN), Duration.ofHours(1)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-03T10:00"));
        assertThat(local(office.plus(at("2026-11-03T18:00", BERLIN), Duration.ofHours(1)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-04T10:00"));
        // at closing time nothing is left of the day: zero business time later is the next opening
        assertThat(local(office.plus(at("2026-11-03T17:00", BERLIN), Duration.ZERO), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-04T09:00"));
        // exactly the rest of the day ends at closing time, not the next morning
        assertThat(local(office.plus(at("2026-11-03T15:00", BERLIN), Duration.ofHours(2)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-11-03T17:00"));
        assertThat(office.between(at("2026-11-03T18:00", BERLIN), at("2026-11-04T08:00", BERLIN)))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void timeLeftIsNegativeOnceOverdue() {
        Instant due = at("2026-11-04T10:00", BERLIN);
        assertThat(office.between(at("2026-11-04T12:30", BERLIN), due)).isEqualTo(Duration.ofMinutes(-150));
        // overdue since Friday afternoon, looked at on Monday morning: the weekend does not count
        assertThat(office.between(at("2026-11-09T10:00", BERLIN), at("2026-11-06T16:00", BERLIN)))
                .isEqualTo(Duration.ofHours(-2));
    }

    @Test
    void aWholeDayClockOnTheSpringChangeHasTwentyThreeHours() {
        BusinessClock always = BusinessClock.parse("00:00-24:00", "MON-SUN", "Europe/Berlin");
        assertThat(always.dayLength()).isEqualTo(Duration.ofHours(24));
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin
        assertThat(always.between(at("2026-03-29T00:00", BERLIN), at("2026-03-30T00:00", BERLIN)))
                .isEqualTo(Duration.ofHours(23));
        assertThat(local(always.plus(at("2026-03-28T12:00", BERLIN), Duration.ofHours(24)), BERLIN))
                .isEqualTo(LocalDateTime.parse("2026-03-29T13:00"));
        // 2026-10-25: from 03:00 back to 02:00, a 25-hour day
        assertThat(always.between(at("2026-10-25T00:00", BERLIN), at("2026-10-26T00:00", BERLIN)))
                .isEqualTo(Duration.ofHours(25));
    }

    @Test
    void officeHoursMoveWithTheWallClockAcrossTheChange() {
        BusinessClock shop = BusinessClock.parse("09:00-17:00", "MON-SUN", "America/New_York");
        // 2026-03-08: New York springs forward overnight; Saturday 16:00 + 2 h is Sunday 10:00 local time
        Instant due = shop.plus(at("2026-03-07T16:00", NEW_YORK), Duration.ofHours(2));
        assertThat(local(due, NEW_YORK)).isEqualTo(LocalDateTime.parse("2026-03-08T10:00"));
        assertThat(Duration.between(at("2026-03-07T16:00", NEW_YORK), due)).isEqualTo(Duration.ofHours(17));
        assertThat(shop.between(at("2026-03-07T00:00", NEW_YORK), at("2026-03-09T00:00", NEW_YORK)))
                .isEqualTo(Duration.ofHours(16));
    }

    @Test
    void hoursThatOpenInTheGapOpenWhenTheWallClockResumes() {
        BusinessClock early = BusinessClock.parse("02:30-05:00", "MON-SUN", "America/New_York");
        // 02:30 does not exist on 2026-03-08: the day opens at 03:30 daylight time
        assertThat(local(early.plus(at("2026-03-08T00:00", NEW_YORK), Duration.ZERO), NEW_YORK))
                .isEqualTo(LocalDateTime.parse("2026-03-08T03:30"));
        assertThat(early.between(at("2026-03-08T00:00", NEW_YORK), at("2026-03-08T12:00", NEW_YORK)))
                .isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void daysAndHoursAreReadAsWritten() {
        assertThat(BusinessClock.parseDays("MON-FRI")).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        assertThat(BusinessClock.parseDays("fri-mon")).containsExactlyInAnyOrder(DayOfWeek.FRIDAY,
                DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(BusinessClock.parseDays("Mon, Wednesday")).containsExactlyInAnyOrder(DayOfWeek.MONDAY,
                DayOfWeek.WEDNESDAY);
        assertThatThrownBy(() -> BusinessClock.parseDays("weekdays")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sla.business-days");
        assertThatThrownBy(() -> BusinessClock.parseDays("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BusinessClock.parse("9-5", "MON-FRI", "UTC"))
                .hasMessageContaining("sla.business-hours");
        assertThatThrownBy(() -> BusinessClock.parse("17:00-09:00", "MON-FRI", "UTC"))
                .hasMessageContaining("end after they start");
        assertThatThrownBy(() -> BusinessClock.parse("09:00-17:00", "MON-FRI", "Mars/Olympus"))
                .hasMessageContaining("sla.zone");
    }

    @Test
    void theSlaIsWrittenAsAnIsoDurationOfBusinessTime() {
        assertThat(Sla.of("PT4H", "09:00-17:00", "MON-FRI", "UTC", null).allowed()).isEqualTo(Duration.ofHours(4));
        assertThat(Sla.of("P1DT4H", "08:00-18:00", "MON-FRI", "UTC", null).allowed())
                .isEqualTo(Duration.ofHours(14));
        assertThat(Sla.of("p3d", "00:00-24:00", "MON-SUN", "UTC", null).allowed()).isEqualTo(Duration.ofDays(3));
        assertThat(Sla.defaults().rmaOpenAfter()).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> Sla.of("2 days", "09:00-17:00", "MON-FRI", "UTC", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sla.process-within");
        assertThatThrownBy(() -> Sla.of("P", "09:00-17:00", "MON-FRI", "UTC", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

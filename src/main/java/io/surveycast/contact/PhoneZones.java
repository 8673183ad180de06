package io.surveycast.contact;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The time zones a phone number may be in: libphonenumber's zones for the full number (the area
 * code narrows a North American number), with zones that share their offset at every instant of
 * {@link #COMPARED_FROM}..{@link #COMPARED_UNTIL} counted once (London, Jersey, Guernsey and the
 * Isle of Man are one zone). Of such a group the zone kept is the one of the region's example
 * geographic number when it is in the group (London for the UK), else the first.
 */
final class PhoneZones {
    /** The period over which two zones must agree to count as one (a fixed range: zone data, not time). */
    static final Instant COMPARED_FROM = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant COMPARED_UNTIL = Instant.parse("2100-01-01T00:00:00Z");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final PhoneNumberToTimeZonesMapper mapper = PhoneNumberToTimeZonesMapper.getInstance();

    /** The distinct candidate zones of the number, empty when libphonenumber knows none. */
    List<String> of(PhoneNumber number) {
        List<String> known = new ArrayList<>();
        for (String zone : mapper.getTimeZonesForNumber(number)) {
            if (ZONES.contains(zone)) {
                known.add(zone);
            }
        }
        String preferred = preferred(number);
        List<String> distinct = new ArrayList<>();
        for (String zone : known) {
            int same = -1;
            for (int k = 0; k < distinct.size() && same < 0; k++) {
                if (sameOffsets(ZoneId.of(zone).getRules(), ZoneId.of(distinct.get(k)).getRules())) {
                    same = k;
                }
            }
            if (same < 0) {
                distinct.add(zone);
            } else if (zone.equals(preferred)) {
                distinct.set(same, zone);
            }
        }
        return distinct;
    }

    private String preferred(PhoneNumber number) {
        String region = phones.getRegionCodeForNumber(number);
        PhoneNumber example = region == null ? null
                : phones.getExampleNumberForType(region, PhoneNumberUtil.PhoneNumberType.FIXED_LINE);
        if (example == null) {
            return null;
        }
        List<String> zones = mapper.getTimeZonesForGeographicalNumber(example);
        return zones.size() == 1 ? zones.get(0) : null;
    }

    /** Whether the two zones have the same offset at every instant of the compared period. */
    static boolean sameOffsets(ZoneRules a, ZoneRules b) {
        if (a.equals(b)) {
            return true;
        }
        return agreeFrom(a, b) && agreeFrom(b, a);
    }

    /** Whether b has a's offset at the start and right after every transition of a in the period. */
    private static boolean agreeFrom(ZoneRules a, ZoneRules b) {
        Instant t = COMPARED_FROM;
        if (!a.getOffset(t).equals(b.getOffset(t))) {
            return false;
        }
        for (ZoneOffsetTransition next = a.nextTransition(t); next != null && next.getInstant().isBefore(COMPARED_UNTIL);
             next = a.nextTransition(next.getInstant())) {
            if (!next.getOffsetAfter().equals(b.getOffset(next.getInstant()))) {
                return false;
            }
        }
        return true;
    }
}

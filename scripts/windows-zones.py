#!/usr/bin/env python3
"""Writes src/time/windows_zones.rs: Windows time-zone names (Outlook's TZIDs) to IANA names.

The data is CLDR's common/supplemental/windowsZones.xml, the rows for territory "001" (each Windows
zone's default IANA zone). Give it that file:

    scripts/windows-zones.py windowsZones.xml <cldr-commit> <commit-date>

or a copy generated from it that records its CLDR commit (python-icalendar's
src/icalendar/timezone/windows_to_olson.py, BSD-2-Clause), which is what the table in the tree
was made from:

    scripts/windows-zones.py windows_to_olson.py
"""
import re
import sys
import xml.etree.ElementTree as ET

src = sys.argv[1]
text = open(src, encoding='utf-8').read()
if src.endswith('.xml'):
    commit, date = sys.argv[2], sys.argv[3]
    rows = {z.get('other'): z.get('type').split()[0]
            for z in ET.fromstring(text).iter('mapZone') if z.get('territory') == '001'}
    via = ''
else:
    commit = re.search(r'^version = "([0-9a-f]{40})"', text, re.M).group(1)
    date = re.search(r'^version_date = "([0-9-]+)"', text, re.M).group(1)
    rows = dict(re.findall(r'^\s+"([^"]+)": "([^"]+)",$', text, re.M))
    via = ' (read from python-icalendar\'s generated copy, windows_to_olson.py)'
assert len(rows) > 100, f'only {len(rows)} rows in {src}'
out = [
    '//! Windows time-zone names, as Outlook writes them in TZIDs without a VTIMEZONE ("W. Europe',
    '//! Standard Time"), to IANA names: the territory "001" rows of CLDR',
    f'//! common/supplemental/windowsZones.xml at commit {commit} ({date}){via}.'.replace(' (read', '\n//! (read'),
    '//! Unicode licence (https://www.unicode.org/copyright.html). Written by scripts/windows-zones.py;',
    '//! regenerate rather than edit.',
    '',
    '/// (Windows name, IANA name), sorted by the Windows name.',
    'pub const WINDOWS_ZONES: &[(&str, &str)] = &[',
]
out += [f'    ({name!r}, {zone!r}),'.replace("'", '"') for name, zone in sorted(rows.items())]
out += [
    '];',
    '',
    '/// The IANA zone a Windows zone name stands for (its case ignored), if CLDR maps it.',
    'pub fn iana(windows: &str) -> Option<&\'static str> {',
    '    let w = windows.trim();',
    '    WINDOWS_ZONES',
    '        .iter()',
    '        .find(|(name, _)| name.eq_ignore_ascii_case(w))',
    '        .map(|(_, zone)| *zone)',
    '}',
    '',
]
open('src/time/windows_zones.rs', 'w', encoding='utf-8').write('\n'.join(out))
print(f'src/time/windows_zones.rs: {len(rows)} Windows zones, CLDR {commit[:12]} ({date})')

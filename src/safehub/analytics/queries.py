"""The problem profile's questions as SQL over the snapshot tables (DuckDB dialect).

`engines.SparkEngine` renders them for Spark SQL with sqlglot, so keep to what both run:
no list functions, no DuckDB-only date arithmetic. Every query reads the period from the
one-row `params` table (start_on, end_on).

A child counts as a victim or child at risk in the period when an at-risk screening outcome,
a CSE case opening or a child abduction warning notice naming them falls in it. Children are
counted once per linkage cluster (`cluster_key`): the same child known to several agencies is
one child.
"""

from __future__ import annotations

IDENTIFIED = """
identified AS (
    SELECT child_key, MIN(on_date) AS first_on, MAX(kind) AS kind FROM (
        SELECT s.child_key, s.screened_on AS on_date, 'screening' AS kind
        FROM screenings s CROSS JOIN params p
        WHERE s.at_risk AND s.screened_on BETWEEN p.start_on AND p.end_on
        UNION ALL
        SELECT c.child_key, c.opened_on, 'case'
        FROM cases c CROSS JOIN params p
        WHERE c.opened_on BETWEEN p.start_on AND p.end_on
        UNION ALL
        SELECT d.child_key, d.occurred_on, 'notice'
        FROM disruptions d CROSS JOIN params p
        WHERE d.child_key IS NOT NULL AND d.occurred_on BETWEEN p.start_on AND p.end_on
    ) x GROUP BY child_key
),
victims AS (
    SELECT c.cluster_key,
           MIN(i.first_on) AS first_on,
           COUNT(DISTINCT c.child_key) AS records,
           COALESCE(MAX(NULLIF(c.sex, 'not_known')), 'not_known') AS sex,
           COALESCE(MAX(NULLIF(c.ethnicity, 'not_stated')), 'not_stated') AS ethnicity,
           MAX(c.age) AS age,
           MAX(CASE WHEN c.looked_after THEN 1 ELSE 0 END) AS looked_after,
           MAX(NULLIF(c.school, '')) AS school
    FROM identified i JOIN children c ON c.child_key = i.child_key
    GROUP BY c.cluster_key
)
"""

AGE_BAND = """
CASE WHEN age IS NULL THEN 'Not known'
     WHEN age < 10 THEN 'Under 10'
     WHEN age < 13 THEN '10 to 12'
     WHEN age < 18 THEN CAST(age AS VARCHAR)
     ELSE '18 or over' END
"""

ADULT_AGE_BAND = """
CASE WHEN age IS NULL THEN 'Not known'
     WHEN age < 18 THEN 'Under 18'
     WHEN age < 25 THEN '18 to 24'
     WHEN age < 35 THEN '25 to 34'
     WHEN age < 45 THEN '35 to 44'
     WHEN age < 55 THEN '45 to 54'
     ELSE '55 or over' END
"""

Q: dict[str, str] = {
    "victims_total": f"""
        WITH {IDENTIFIED}
        SELECT COUNT(*) AS children, COALESCE(SUM(records), 0) AS records FROM victims
    """,
    "victims_by_month": f"""
        WITH {IDENTIFIED}
        SELECT year(first_on) AS year, month(first_on) AS month, COUNT(*) AS children
        FROM victims GROUP BY year(first_on), month(first_on) ORDER BY 1, 2
    """,
    "victims_by_age": f"""
        WITH {IDENTIFIED}
        SELECT {AGE_BAND} AS band, COUNT(*) AS children FROM victims GROUP BY 1
    """,
    "victims_by_sex": f"""
        WITH {IDENTIFIED}
        SELECT sex, COUNT(*) AS children FROM victims GROUP BY sex ORDER BY 2 DESC, 1
    """,
    "victims_by_ethnicity": f"""
        WITH {IDENTIFIED}
        SELECT ethnicity, COUNT(*) AS children FROM victims GROUP BY ethnicity ORDER BY 2 DESC, 1
    """,
    "victims_looked_after": f"""
        WITH {IDENTIFIED}
        SELECT looked_after, COUNT(*) AS children FROM victims GROUP BY looked_after
    """,
    "victims_by_school": f"""
        WITH {IDENTIFIED}
        SELECT COALESCE(school, 'Not recorded') AS school, COUNT(*) AS children
        FROM victims GROUP BY 1 ORDER BY 2 DESC, 1
    """,
    "victims_missing": f"""
        WITH {IDENTIFIED},
        episodes AS (
            SELECT c.cluster_key, COUNT(*) AS n
            FROM missing m JOIN children c ON c.child_key = m.child_key CROSS JOIN params p
            WHERE CAST(m.reported_at AS DATE) <= p.end_on
            GROUP BY c.cluster_key
        )
        SELECT CASE WHEN e.n IS NULL THEN 'Never reported missing'
                    WHEN e.n < 3 THEN 'Missing once or twice'
                    ELSE 'Missing three times or more' END AS history,
               COUNT(*) AS children
        FROM victims v LEFT JOIN episodes e ON e.cluster_key = v.cluster_key
        GROUP BY 1 ORDER BY 1
    """,
    "victim_indicators": f"""
        WITH {IDENTIFIED}
        SELECT si.indicator, COUNT(DISTINCT c.cluster_key) AS children
        FROM screening_indicators si
        JOIN children c ON c.child_key = si.child_key
        JOIN victims v ON v.cluster_key = c.cluster_key
        CROSS JOIN params p
        WHERE si.screened_on BETWEEN p.start_on AND p.end_on
        GROUP BY si.indicator ORDER BY 2 DESC, 1
    """,
    "victim_completeness": f"""
        WITH {IDENTIFIED}
        SELECT COUNT(*) AS children,
               SUM(CASE WHEN ethnicity = 'not_stated' THEN 1 ELSE 0 END) AS no_ethnicity,
               SUM(CASE WHEN sex = 'not_known' THEN 1 ELSE 0 END) AS no_sex,
               SUM(CASE WHEN age IS NULL THEN 1 ELSE 0 END) AS no_age
        FROM victims
    """,
    # Persons of interest: the active ones, with the children intelligence links them to.
    "poi_total": """
        SELECT COUNT(*) AS persons,
               SUM(CASE WHEN ethnicity = 'not_stated' THEN 1 ELSE 0 END) AS no_ethnicity,
               SUM(CASE WHEN sex = 'not_known' THEN 1 ELSE 0 END) AS no_sex,
               SUM(CASE WHEN age IS NULL THEN 1 ELSE 0 END) AS no_age
        FROM persons_of_interest WHERE status = 'active'
    """,
    "poi_by_age": f"""
        SELECT {ADULT_AGE_BAND} AS band, COUNT(*) AS persons
        FROM persons_of_interest WHERE status = 'active' GROUP BY 1
    """,
    "poi_by_sex": """
        SELECT sex, COUNT(*) AS persons FROM persons_of_interest
        WHERE status = 'active' GROUP BY sex ORDER BY 2 DESC, 1
    """,
    "poi_by_ethnicity": """
        SELECT ethnicity, COUNT(*) AS persons FROM persons_of_interest
        WHERE status = 'active' GROUP BY ethnicity ORDER BY 2 DESC, 1
    """,
    "poi_children": """
        WITH pairs AS (
            SELECT person_key AS adult, other_person_key AS child FROM associations
            UNION SELECT other_person_key, person_key FROM associations
        ),
        linked AS (
            SELECT poi.poi_key, COUNT(DISTINCT c.cluster_key) AS children
            FROM persons_of_interest poi
            LEFT JOIN pairs ON pairs.adult = poi.person_key
            LEFT JOIN children c ON c.child_key = pairs.child
            WHERE poi.status = 'active'
            GROUP BY poi.poi_key
        )
        SELECT CASE WHEN children = 0 THEN 'No linked child'
                    WHEN children = 1 THEN 'One child'
                    WHEN children < 5 THEN '2 to 4 children'
                    ELSE '5 or more children' END AS linked, COUNT(*) AS persons
        FROM linked GROUP BY 1 ORDER BY 1
    """,
    "poi_links": """
        SELECT COUNT(*) AS links FROM (
            SELECT DISTINCT a.person_key, a.other_person_key
            FROM associations a
            JOIN persons_of_interest x ON x.person_key = a.person_key
            JOIN persons_of_interest y ON y.person_key = a.other_person_key
        ) t
    """,
    "poi_taxi": """
        SELECT COUNT(DISTINCT poi.poi_key) AS persons
        FROM persons_of_interest poi
        JOIN vehicles v ON v.keeper_key = poi.person_key
        WHERE v.licensed AND poi.status = 'active'
    """,
    "disruptions_by_kind": """
        SELECT d.kind, COUNT(*) AS actions,
               COUNT(DISTINCT d.person_key) AS persons,
               COUNT(DISTINCT d.location_key) AS places
        FROM disruptions d CROSS JOIN params p
        WHERE d.occurred_on BETWEEN p.start_on AND p.end_on
        GROUP BY d.kind ORDER BY 2 DESC, 1
    """,
    # Places: every event at a known location, with its time when there is one.
    "events": """
        SELECT m.location_key, m.found_at AS at, 'missing child found' AS what
        FROM missing m CROSS JOIN params p
        WHERE m.location_key IS NOT NULL
          AND CAST(m.reported_at AS DATE) BETWEEN p.start_on AND p.end_on
        UNION ALL
        SELECT a.location_key, COALESCE(a.occurred_at, CAST(a.recorded_on AS TIMESTAMP)),
               'intelligence'
        FROM associations a CROSS JOIN params p
        WHERE a.location_key IS NOT NULL AND a.recorded_on BETWEEN p.start_on AND p.end_on
    """,
    "locations": """
        SELECT location_key, kind, label, postcode_district, easting, northing FROM locations
    """,
    "location_kinds": """
        WITH ev AS (
            SELECT m.location_key FROM missing m CROSS JOIN params p
            WHERE m.location_key IS NOT NULL
              AND CAST(m.reported_at AS DATE) BETWEEN p.start_on AND p.end_on
            UNION ALL
            SELECT a.location_key FROM associations a CROSS JOIN params p
            WHERE a.location_key IS NOT NULL AND a.recorded_on BETWEEN p.start_on AND p.end_on
        )
        SELECT l.kind, COUNT(DISTINCT l.location_key) AS places, COUNT(ev.location_key) AS events
        FROM locations l LEFT JOIN ev ON ev.location_key = l.location_key
        GROUP BY l.kind ORDER BY 3 DESC, 1
    """,
    "location_gaps": """
        SELECT COUNT(*) AS places,
               SUM(CASE WHEN easting IS NULL OR northing IS NULL THEN 1 ELSE 0 END) AS unmapped
        FROM locations
    """,
    # The network: who and what intelligence links, in the period or before it.
    "edges": """
        SELECT a.person_key, a.other_person_key, a.location_key, a.vehicle_key, a.kind
        FROM associations a CROSS JOIN params p
        WHERE a.recorded_on <= p.end_on
    """,
    "keepers": """
        SELECT vehicle_key, keeper_key, label, licensed FROM vehicles
    """,
    "child_keys": """
        SELECT child_key, cluster_key FROM children
    """,
    "poi_keys": """
        SELECT poi_key, person_key, label FROM persons_of_interest WHERE status = 'active'
    """,
    "grading": """
        SELECT COUNT(*) AS associations,
               SUM(CASE WHEN source_evaluation = '3' THEN 1 ELSE 0 END) AS unreliable_source,
               SUM(CASE WHEN intelligence_assessment IN ('D', 'E') THEN 1 ELSE 0 END)
                   AS weak_assessment
        FROM associations a CROSS JOIN params p
        WHERE a.recorded_on BETWEEN p.start_on AND p.end_on
    """,
    "victims_without_poi": f"""
        WITH {IDENTIFIED},
        pairs AS (
            SELECT person_key AS adult, other_person_key AS child FROM associations
            UNION SELECT other_person_key, person_key FROM associations
        ),
        linked AS (
            SELECT DISTINCT c.cluster_key
            FROM pairs
            JOIN persons_of_interest poi ON poi.person_key = pairs.adult
            JOIN children c ON c.child_key = pairs.child
        )
        SELECT COUNT(*) AS children FROM victims v
        WHERE v.cluster_key NOT IN (SELECT cluster_key FROM linked)
    """,
    "named_unscreened": """
        WITH named AS (
            SELECT c.cluster_key FROM associations a
            JOIN children c ON c.child_key = a.person_key OR c.child_key = a.other_person_key
        ),
        screened AS (
            SELECT c.cluster_key FROM screenings s JOIN children c ON c.child_key = s.child_key
        )
        SELECT COUNT(DISTINCT cluster_key) AS children FROM named
        WHERE cluster_key NOT IN (SELECT cluster_key FROM screened)
    """,
    "poi_undisrupted": """
        SELECT COUNT(*) AS persons FROM persons_of_interest poi
        WHERE poi.status = 'active'
          AND poi.person_key NOT IN (
              SELECT person_key FROM disruptions WHERE person_key IS NOT NULL)
    """,
    "table_rows": """
        SELECT 'children' AS name, COUNT(*) AS n FROM children
        UNION ALL SELECT 'screenings', COUNT(*) FROM screenings
        UNION ALL SELECT 'cases', COUNT(*) FROM cases
        UNION ALL SELECT 'missing', COUNT(*) FROM missing
        UNION ALL SELECT 'persons_of_interest', COUNT(*) FROM persons_of_interest
        UNION ALL SELECT 'locations', COUNT(*) FROM locations
        UNION ALL SELECT 'vehicles', COUNT(*) FROM vehicles
        UNION ALL SELECT 'associations', COUNT(*) FROM associations
        UNION ALL SELECT 'disruptions', COUNT(*) FROM disruptions
    """,
    "dedup": """
        SELECT COUNT(*) AS records, COUNT(DISTINCT cluster_key) AS children FROM children
    """,
}

"""Batch assessment and scoring of many records: readers, the two engines, outputs, jobs.

``leptodx batch assess`` and ``leptodx batch score`` read JSON Lines or a mapped cohort file in
partitions, evaluate each partition with the columnar engine (or, on request, record by record)
in-process or on a Dask cluster, and write one Parquet file and one error table atomically
(docs/scale-out.md).
"""

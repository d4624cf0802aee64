"""Running work in-process or on a Dask cluster: connecting, mapping tasks, bootstrap replicates.

With no scheduler everything runs in this process (threads); ``--scheduler ADDRESS`` (or
``LEPTODX_DASK_SCHEDULER``) sends the same tasks to an existing ``distributed`` cluster, and
``--scheduler local`` starts a local process pool (a ``LocalCluster``) for the job
(docs/scale-out.md).
"""

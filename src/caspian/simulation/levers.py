"""The simulation's levers: every configuration field's command-line option and help text.

Shared by ``caspian simulate`` (its options) and the web API (its sliders' labels).
"""

from __future__ import annotations

__all__ = ["LEVERS"]

# option name (when not the field name) and help of every config field; units in the text
LEVERS: dict[str, tuple[str, str]] = {
    "trucks_per_day": ("", "Trucks/day, yearly average (the month profile scales it)."),
    "share_ir_to_az": ("", "Share of trucks going IR->AZ (0-1)."),
    "hour_profile": ("", "24 comma-separated arrival weights, 00:00..23:00."),
    "month_profile": ("", "12 comma-separated arrival weights, Jan..Dec."),
    "start_month": ("", "Month the run starts in, 1-12 (1 = 1 January, peak season)."),
    "open_from_hour": ("", "Opening hour of customs / the terminal (0-24)."),
    "open_to_hour": ("", "Closing hour (0-24; before the opening hour: past midnight)."),
    "parking_places_per_direction": ("--parking", "Parking places per direction."),
    "entry_lanes_per_direction": ("--entry-lanes", "Entry gate lanes per direction."),
    "document_booths_per_direction": ("--booths", "Document booths per direction."),
    "weighbridges_per_direction": ("--weighbridges", "Weighbridges per direction."),
    "xray_scanners_per_direction": ("--scanners", "X-ray scanners per direction."),
    "inspection_bays_per_direction": ("--inspection-bays", "Inspection bays per direction."),
    "exit_lanes_per_direction": ("--exit-lanes", "Exit gate lanes per direction."),
    "entry_gate_minutes": ("", "Minutes per truck at the entry gate."),
    "document_minutes": ("", "Minutes per paper declaration at a booth."),
    "edeclaration_document_minutes": ("--edecl-minutes", "Minutes per e-declared truck."),
    "weighbridge_minutes": ("", "Minutes per truck on a weighbridge."),
    "xray_minutes": ("", "Minutes per truck in an X-ray scanner."),
    "inspection_minutes": ("", "Minutes per physical inspection."),
    "exit_gate_minutes": ("", "Minutes per truck at the exit gate."),
    "service_cv": ("", "Coefficient of variation of service times (0-10)."),
    "edeclaration_share": ("", "Share of trucks with a pre-arrival e-declaration (0-1)."),
    "inspection_share": ("", "Share of trucks sent to physical inspection (0-1)."),
    "equeue": ("", "Appointment e-queue on or off."),
    "equeue_slots_per_hour_per_direction": (
        "--equeue-slots",
        "E-queue slots per opening hour and direction.",
    ),
    "wagons_per_day": ("", "Wagons/day."),
    "share_az_to_ir": ("", "Share of wagons going AZ->IR (0-1)."),
    "siding_places_per_direction": ("--sidings", "Siding places per direction."),
    "inspection_teams_per_direction": ("--inspection-teams", "Inspection teams per direction."),
    "transshipment_tracks_per_direction": (
        "--transship-tracks",
        "Transshipment positions per direction.",
    ),
    "inspection_hours": ("", "Hours per wagon inspection."),
    "transshipment_hours": ("", "Hours per wagon transshipment."),
    "export_wagons_per_day": ("--wagons-per-day", "Export wagons/day (rail -> ship)."),
    "import_ships_per_day": ("", "Import (grain) ships/day."),
    "wagon_payload_t": ("", "Tonnes per wagon."),
    "vessel_payload_t": ("", "Tonnes per ship."),
    "berths": ("", "Berths for the rail-sea trade."),
    "rail_tracks": ("", "Loading / unloading rail tracks."),
    "wagon_unload_hours": ("", "Hours to unload a wagon."),
    "wagon_load_hours": ("", "Hours to load a wagon."),
    "general_ship_load_t_per_hour": ("--ship-load-t-per-hour", "Tonnes/hour loading ships."),
    "grain_ship_discharge_t_per_hour": (
        "--discharge-t-per-hour",
        "Tonnes/hour discharging grain ships.",
    ),
    "export_yard_capacity_t": ("--export-yard-t", "Export yard capacity, tonnes."),
    "import_yard_capacity_t": ("--import-yard-t", "Import yard capacity, tonnes."),
}

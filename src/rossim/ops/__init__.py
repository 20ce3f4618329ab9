"""rossim.ops"""
